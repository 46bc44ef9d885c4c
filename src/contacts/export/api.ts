// GET /api/v1/contacts/export: the same filter parameters as the contacts
// list (or segment_id), streamed as .xlsx or .csv.
import { z } from 'zod';
import type { ApiFeature } from '../../api/registry.js';
import { FORMATS, prepareExport } from './service.js';

const ExportQuery = z.object({
  format: z.enum(FORMATS).default('xlsx').meta({ description: 'xlsx (default) or csv (UTF-8 with BOM).' }),
  segment_id: z.coerce.number().int().positive().optional().meta({ description: 'Export a saved segment.' }),
  q: z.string().max(100).optional().meta({ description: 'Search: name fragment, phone prefix or e-mail, as in the list.' }),
  tag: z.union([z.string(), z.array(z.string())]).optional().meta({ description: 'Tag ids the contacts must have (repeatable).' }),
  no_tag: z.union([z.string(), z.array(z.string())]).optional().meta({ description: 'Tag ids the contacts must not have (repeatable).' }),
  opt_in: z.enum(['opted_in', 'opted_out', 'unknown']).optional(),
  delimiter: z.enum(['comma', 'semicolon']).optional().meta({ description: 'CSV only: the field separator (semicolon suits Excel in Spain and South America).' }),
}).loose();

export const exportApi: ApiFeature = (apiRoute, deps) => {
  apiRoute({
    method: 'get', path: '/contacts/export', summary: 'Export contacts to Excel or CSV', tags: ['contacts'], scope: 'contacts:export',
    description: 'Streams every matching contact (standard fields, tags, one column per custom field). Takes the contacts list\'s filter parameters.',
    query: ExportQuery,
    produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
    response: z.unknown(),
    handler: async ({ req, res, query }) => {
      const exp = await prepareExport(deps, req.query as Record<string, unknown>, query.format, req.t, req.audit);
      res.status(200).attachment(exp.fileName);
      res.set('Content-Type', exp.contentType);
      try {
        await exp.write(res);
      } catch (err) {
        deps.log.error({ err }, 'export failed mid-stream');
        res.destroy();
      }
    },
  });
};
