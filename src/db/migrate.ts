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
  // With a custom source, knex lists pending entries as the source's own items (our [name, module] pairs).
  const [, pending] = (await db.migrate.list(cfg)) as [unknown, Named[]];
  return pending.map((p) => source.getMigrationName(p));
}

export function latestMigrationName(): string {
  return migrations[migrations.length - 1]![0];
}
