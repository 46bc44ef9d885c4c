// Every migration, in order. Knex reads them through this source so the same
// list works under tsx and in the compiled build. A test checks that every
// file in this folder is listed here.
import type { Knex } from 'knex';
import * as m0001 from './20261124_0001_foundation.js';

type Migration = { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };

export const migrations: ReadonlyArray<readonly [string, Migration]> = [['20261124_0001_foundation', m0001]];
