// /contacts/export: with ?format=xlsx|csv (plus the list's filter query or a
// segment) it streams the file; without a format it shows the choice.
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../../deps.js';
import { can, requireUser } from '../../web/guards.js';
import { countOfQuery } from '../queries.js';
import { contactIdsQuery } from '../segments/compile.js';
import { filterFromQuery, filterQueryString } from '../list-filter.js';
import { FORMATS, listQueryOf, prepareExport, type ExportFormat } from './service.js';

/** Send a prepared export as a download; a failure mid-stream cuts the connection (never a half file that looks whole). */
export async function sendExport(deps: Deps, req: Request, res: Response, format: ExportFormat): Promise<void> {
  const exp = await prepareExport(deps, req.query as Record<string, unknown>, format, req.t, req.audit);
  res.status(200);
  res.set('Cache-Control', 'no-store');
  res.attachment(exp.fileName);
  res.set('Content-Type', exp.contentType);
  try {
    await exp.write(res);
  } catch (err) {
    deps.log.error({ err }, 'export failed mid-stream');
    res.destroy();
  }
}

export function exportRoutes(deps: Deps): Router {
  const r = Router();
  r.get('/contacts/export', requireUser, can('contacts:export'), async (req, res) => {
    const format = String(req.query.format ?? '');
    if ((FORMATS as readonly string[]).includes(format)) return sendExport(deps, req, res, format as ExportFormat);
    const resolved = await filterFromQuery(deps, listQueryOf(req.query as Record<string, unknown>));
    const count = await countOfQuery(deps.db, contactIdsQuery(deps.db, resolved.condition, resolved.fields, resolved.opts));
    const qs = filterQueryString(resolved.filter);
    res.page('export/index', {
      title: req.t('export.title'), count, segmentName: resolved.segmentName,
      xlsxHref: `/contacts/export?${qs ? `${qs}&` : ''}format=xlsx`, csvHref: `/contacts/export?${qs ? `${qs}&` : ''}format=csv`,
      backHref: `/contacts${qs ? `?${qs}` : ''}`,
    });
  });
  return r;
}
