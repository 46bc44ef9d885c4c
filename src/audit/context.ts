// An `Audit` is the audit writer bound to one actor (a request's user, an API
// key, the CLI) so services record entries without knowing about requests.
import type { Db } from '../db/knex.js';
import { audit, type Actor, type AuditInput } from './service.js';

export type Audit = (db: Db, entry: AuditInput) => Promise<void>;

export function auditAs(actor: Actor, clock: { now(): number }): Audit {
  return (db, entry) => audit(db, actor, clock.now(), entry);
}
