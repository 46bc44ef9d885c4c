// The search walk (src/contacts/list-search.ts) reads the name order from the
// cursor and tests each row's search_text for the fragment. Through the plain
// (sort_name, id) index every row tested is a table-row fetch; this index
// carries search_text too, so the walk is an index-only scan. It has the same
// keys, so it serves every (sort_name, id) read the old index did, which it
// replaces. Only where the list walks (Postgres): SQLite's search reads its
// FTS5 matches first and keeps the narrower index (no extra insert cost).
// Building it locks writes to contacts for the build (seconds at 1M rows).
import type { Knex } from 'knex';
import { createCoveringIndex, trigramNeedsNarrowing } from '../src/db/dialect.js';

const NAME = 'contacts_sort_name_id_search_text_index';

export async function up(knex: Knex): Promise<void> {
  if (!trigramNeedsNarrowing(knex)) return;
  await createCoveringIndex(knex, 'contacts', NAME, ['sort_name', 'id'], ['search_text']);
  await knex.schema.alterTable('contacts', (t) => t.dropIndex(['sort_name', 'id']));
}

export async function down(knex: Knex): Promise<void> {
  if (!trigramNeedsNarrowing(knex)) return;
  await knex.schema.alterTable('contacts', (t) => {
    t.index(['sort_name', 'id']);
    t.dropIndex([], NAME);
  });
}
