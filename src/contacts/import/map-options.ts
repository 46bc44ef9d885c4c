// `Header=target` / `3=target` overrides of the proposed mapping, as the CLI
// (--map) and the API (?map=) take them.
import { Invalid } from '../../errors.js';
import { normalizeHeader } from '../column-mapping.js';
import type { ImportJob } from './jobs.js';

export function applyMapOptions(job: ImportJob, pairs: string[]): string[] {
  const targets = job.mapping.columns.map((c) => c.target as string);
  const columns = job.mapping.columns.map((c, i) => `${i + 1}="${c.header}"`).join(', ');
  for (const pair of pairs) {
    const eq = pair.lastIndexOf('=');
    if (eq <= 0) throw new Invalid({ map: { code: 'import.map_syntax', params: { pair } } });
    const [col, target] = [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
    const byNumber = /^\d+$/.test(col) ? Number(col) - 1 : -1;
    const index = byNumber >= 0 ? byNumber : job.mapping.columns.findIndex((c) => normalizeHeader(c.header) === normalizeHeader(col));
    if (index < 0 || index >= targets.length) throw new Invalid({ map: { code: 'import.map_no_column', params: { column: col, columns } } });
    targets[index] = target;
  }
  return targets;
}
