import type { T } from './i18n.js';

/**
 * The catalogue's label for `key` when it has one, else `raw`: for values
 * stored as codes (audit actions, permission names) that may outlive or
 * predate their labels.
 */
export function labelOr(t: T, key: string, raw: string): string {
  const s = t(key);
  return s === key ? raw : s;
}
