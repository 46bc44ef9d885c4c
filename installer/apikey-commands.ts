// `chatflow apikey create | list | revoke`: the same service as Settings → API.
// The key is printed once; only its hash is stored.
import type { Command } from 'commander';
import { CLI_ACTOR } from '../src/audit/service.js';
import { auditAs } from '../src/audit/context.js';
import { allApiKeys, createApiKey, DEFAULT_RATE_LIMIT, readScopes, revokeApiKey } from '../src/api-keys/service.js';
import { NewApiKeyInput } from '../src/api-keys/schema.js';
import { Invalid, NotFound } from '../src/errors.js';
import { buildCatalog } from '../src/i18n/catalog.js';
import { translator } from '../src/i18n/i18n.js';
import { ALL_PERMISSIONS, isPermission } from '../src/users/permissions.js';
import { parse } from '../src/web/validate.js';
import { withInstall } from './context.js';

function fail(message: string): never {
  throw new Error(message);
}

/** `a,b` → scopes; nothing → every `*:read` scope (a read-only key is the safe default). */
export function scopesFrom(option: string | undefined): string[] {
  if (option === undefined) return readScopes();
  const list = option.split(',').map((s) => s.trim()).filter(Boolean);
  if (!list.length) fail(`--scopes is empty; valid scopes: ${ALL_PERMISSIONS.join(', ')}`);
  const unknown = list.filter((s) => !isPermission(s));
  if (unknown.length) fail(`unknown scope ${unknown.map((s) => `"${s}"`).join(', ')}; valid scopes: ${ALL_PERMISSIONS.join(', ')}`);
  return list;
}

/** Validation errors as one readable English line: `--name: This field is required.` */
function validInput(raw: Record<string, unknown>) {
  try {
    return parse(NewApiKeyInput, raw);
  } catch (e) {
    if (!(e instanceof Invalid)) throw e;
    const t = translator(buildCatalog(), 'en');
    fail(Object.entries(e.fields).map(([f, v]) => `--${f.replace('_', '-')}: ${t(v.code, v.params)}`).join(' '));
  }
}

function idFrom(arg: string): number {
  return /^\d{1,9}$/.test(arg) && Number(arg) > 0 ? Number(arg) : fail(`"${arg}" is not an API key id (see \`chatflow apikey list\`)`);
}

function when(d: Date | null): string {
  return d ? d.toISOString().replace('T', ' ').slice(0, 16) : 'never';
}

export function registerApiKeyCommands(program: Command): void {
  const apikey = program.command('apikey').description('manage REST API keys');
  addCreate(apikey);
  addList(apikey);
  addRevoke(apikey);
}

function addCreate(apikey: Command): void {
  apikey
    .command('create')
    .description('create an API key and print it (shown only this once)')
    .requiredOption('--name <name>', 'what the key is for, e.g. "Zapier"')
    .option('--scopes <list>', `comma-separated scopes (default: every read scope: ${readScopes().join(',')})`)
    .option('--rate-limit <n>', `requests per minute (default ${DEFAULT_RATE_LIMIT})`)
    .action(async (o: { name: string; scopes?: string; rateLimit?: string }) => {
      const scopes = scopesFrom(o.scopes);
      const input = validInput({ name: o.name, scopes, rate_limit: o.rateLimit });
      await withInstall(async (deps) => {
        const { key, secret } = await createApiKey(deps, 'cli', input, auditAs(CLI_ACTOR, deps.clock));
        console.log(`Created API key ${key.id} "${key.name}" with scopes: ${key.scopes.join(', ')}`);
        console.log(secret);
        console.error('Copy the key now: it is stored only as a hash and cannot be shown again.');
      });
    });
}

function addList(apikey: Command): void {
  apikey
    .command('list')
    .description('list API keys (never the keys themselves)')
    .action(async () => {
      await withInstall(async (deps) => {
        const keys = await allApiKeys(deps);
        if (!keys.length) return console.log('No API keys yet: `chatflow apikey create --name NAME`.');
        for (const k of keys) {
          const status = k.revokedAt ? `revoked ${when(k.revokedAt)}` : 'active';
          console.log([String(k.id).padStart(4), `${k.prefix}…`, status.padEnd(24), `last used ${when(k.lastUsedAt)}`, `"${k.name}"`, k.scopes.join(',')].join('  '));
        }
      });
    });
}

function addRevoke(apikey: Command): void {
  apikey
    .command('revoke')
    .description('revoke an API key at once')
    .argument('<id>', 'the key id from `chatflow apikey list`')
    .action(async (arg: string) => {
      const id = idFrom(arg);
      await withInstall(async (deps) => {
        try {
          const { key, revoked } = await revokeApiKey(deps, id, auditAs(CLI_ACTOR, deps.clock));
          console.log(revoked ? `Revoked API key ${key.id} "${key.name}".` : `API key ${key.id} "${key.name}" was already revoked.`);
        } catch (e) {
          if (e instanceof NotFound) fail(`no API key with id ${id}`);
          throw e;
        }
      });
    });
}
