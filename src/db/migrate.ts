// Runs the migrations of migrations/index.ts on either engine.
import type { Knex } from 'knex';
import { migrations } from '../../migrations/index.js';

type Named = (typeof migrations)[number];

const source: Knex.MigrationSource<Named> = {
  async getMigrations() {
    return [...migrations];
  },
  getMigrationName(m) {
    return m[0];
  },
  async getMigration(m) {
    return m[1];
  },
};

const cfg: Knex.MigratorConfig = { migrationSource: source, tableName: 'knex_migrations' };

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(cfg)) as [number, string[]];
  return applied;
}

export async function migrateRollback(db: Knex, all = false): Promise<string[]> {
  const [, undone] = (await db.migrate.rollback(cfg, all)) as [number, string[]];
  return undone;
}

export async function pendingMigrations(db: Knex): Promise<string[]> {
  const [, pending] = (await db.migrate.list(cfg)) as [unknown, Array<{ file?: string; name?: string } | string>];
  return pending.map((p) => (typeof p === 'string' ? p : (p.name ?? p.file ?? String(p))));
}

export function latestMigrationName(): string {
  return migrations[migrations.length - 1]![0];
}
