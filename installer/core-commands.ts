import type { Command } from 'commander';
import { loadConfig } from '../src/config.js';
import { createDb } from '../src/db/knex.js';
import { migrateLatest, migrateRollback, pendingMigrations } from '../src/db/migrate.js';
import { start } from '../src/main.js';

export function registerCoreCommands(program: Command): void {
  program
    .command('start')
    .description('run the web server and background workers')
    .action(async () => {
      const config = loadConfig();
      const running = await start(config);
      const stop = async (signal: string) => {
        running.deps.log.info({ signal }, 'shutting down');
        await running.stop();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
      console.log(`ChatFlow is running at ${config.publicUrl} (${config.client === 'sqlite' ? `SQLite: ${config.sqliteFile}` : 'PostgreSQL'})`);
    });

  program
    .command('migrate')
    .description('apply pending database migrations (or undo the last batch)')
    .option('--rollback', 'undo the last batch of migrations')
    .action(async (opts: { rollback?: boolean }) => {
      const config = loadConfig();
      const db = createDb({ client: config.client, sqliteFile: config.sqliteFile, databaseUrl: config.databaseUrl });
      try {
        if (opts.rollback) {
          const undone = await migrateRollback(db);
          console.log(undone.length ? `Rolled back: ${undone.join(', ')}` : 'Nothing to roll back.');
        } else {
          const pending = await pendingMigrations(db);
          if (pending.length) console.log(`Applying ${pending.length} migration(s)…`);
          const applied = await migrateLatest(db);
          console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
        }
      } finally {
        await db.destroy();
      }
    });
}
