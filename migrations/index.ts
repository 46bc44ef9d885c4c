// Every migration, in order. Knex reads them through this source so the same
// list works under tsx and in the compiled build. A test checks that every
// file in this folder is listed here.
import type { Knex } from 'knex';
import * as m0001 from './20261124_0001_foundation.js';
import * as m0002 from './20261124_0002_api.js';
import * as m0003 from './20261124_0003_contacts.js';
import * as m0004 from './20261124_0004_whatsapp.js';
import * as m0006 from './20261124_0006_import_export.js';
import * as m0007 from './20261124_0007_whatsapp_channel.js';
import * as m0008 from './20261203_0008_contact_counter.js';
import * as m0009 from './20261203_0009_bulk_jobs.js';
import * as m0010 from './20261203_0010_template_management.js';
import * as m0013 from './20261203_0013_messages_campaign_index.js';
import * as m0014 from './20261203_0014_number_webhook_subscription.js';
import * as m0015 from './20261203_0015_events.js';
import * as m0016 from './20261203_0016_contacts_name_search_index.js';

type Migration = { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };

export const migrations: ReadonlyArray<readonly [string, Migration]> = [
  ['20261124_0001_foundation', m0001],
  ['20261124_0002_api', m0002],
  ['20261124_0003_contacts', m0003],
  ['20261124_0004_whatsapp', m0004],
  ['20261124_0006_import_export', m0006],
  ['20261124_0007_whatsapp_channel', m0007],
  ['20261203_0008_contact_counter', m0008],
  ['20261203_0009_bulk_jobs', m0009],
  ['20261203_0010_template_management', m0010],
  ['20261203_0013_messages_campaign_index', m0013],
  ['20261203_0014_number_webhook_subscription', m0014],
  ['20261203_0015_events', m0015],
  ['20261203_0016_contacts_name_search_index', m0016],
];
