import type { Command } from 'commander';
import { registerCoreCommands } from './core-commands.js';
import { registerUserCommands } from './user-commands.js';
import { registerApiKeyCommands } from './apikey-commands.js';
import { registerContactsImportCommand } from './contacts-commands.js';

/** Every command group; a feature adds its register function here. */
export function registerCommands(program: Command): void {
  registerCoreCommands(program);
  registerUserCommands(program);
  registerApiKeyCommands(program);
  registerContactsImportCommand(program);
}
