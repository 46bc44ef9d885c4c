// The `chatflow` CLI. Each command is small, safe to re-run, prints one line
// with the cause on failure and exits non-zero.
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../src/config.js';
import { DomainError, Invalid } from '../src/errors.js';
import { registerCommands } from './commands.js';

const program = new Command('chatflow')
  .description('ChatFlow: self-hosted WhatsApp Business CRM')
  .version(process.env.npm_package_version ?? '0.1.0')
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);

function reason(e: unknown): string {
  if (e instanceof Invalid) return Object.entries(e.fields).map(([f, v]) => `${f}: ${v.code}`).join('; ');
  if (e instanceof DomainError) return `${e.code}: ${e.message}`;
  // The contract promises a one-line reason; a config error lists each bad variable on its own line.
  if (e instanceof ConfigError) {
    const [head, ...vars] = e.message.split('\n').map((l) => l.trim()).filter(Boolean);
    return [head, vars.join('; ')].filter(Boolean).join(' ');
  }
  return e instanceof Error ? e.message : String(e);
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode);
  console.error(`chatflow: ${reason(e)}`);
  process.exit(1);
}
