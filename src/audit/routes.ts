// Settings → Audit log: browse and filter who changed what, when and from where.
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../deps.js';
import { can, requireUser } from '../web/guards.js';
import { parse } from '../web/validate.js';
import { auditFilterChoices, browseAudit } from './browse.js';
import { actionLabel, auditHref, auditRow, entityLabel } from './present.js';
import { AuditFilterInput } from './schema.js';

function timeZone(res: Response): string {
  return (res.locals.settings as { timezone: string }).timezone;
}

async function formChoices(deps: Deps, req: Request) {
  const c = await auditFilterChoices(deps);
  return {
    people: c.users,
    actions: c.actions.map((a) => ({ value: a, label: actionLabel(req.t, a) })),
    entityTypes: c.entityTypes.map((e) => ({ value: e, label: entityLabel(req.t, e) })),
  };
}

export function auditRoutes(deps: Deps): Router {
  const r = Router();

  r.get('/settings/audit', requireUser, can('audit:read'), async (req, res) => {
    const choices = await formChoices(deps, req);
    const base = { title: req.t('audit.title'), ...choices, rows: [], nextHref: null, firstHref: null, filtered: true };
    res.form('audit/index', base); // bad filters: the page again at 422 with the messages
    const f = parse(AuditFilterInput, req.query);
    const page = await browseAudit(deps, f, timeZone(res));
    const people = new Map(choices.people.map((p) => [p.id, p]));
    res.page('audit/index', {
      ...base,
      values: req.query,
      rows: page.entries.map((e) => auditRow(e, people, req.t, req.locale, timeZone(res))),
      nextHref: page.nextBefore ? auditHref(f, page.nextBefore) : null,
      firstHref: f.before ? auditHref({ ...f, before: undefined }) : null,
      filtered: !!(f.user || f.action || f.entity || f.from || f.to),
    });
  });

  return r;
}
