// One translation mechanism for every user-visible string. Each feature keeps
// its strings in its own `i18n.ts` ({ en, es }); catalog.ts merges them.
export const LOCALES = ['es', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type Messages = Record<string, string>;
export type Bundle = { en: Messages; es: Messages };
export type Params = Record<string, string | number | undefined | null>;
export type T = (key: string, params?: Params) => string;

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    return v === undefined || v === null ? m : String(v);
  });
}

export function mergeBundles(bundles: Bundle[]): Record<Locale, Messages> {
  const out: Record<Locale, Messages> = { en: {}, es: {} };
  for (const b of bundles) {
    for (const loc of LOCALES) {
      for (const [k, v] of Object.entries(b[loc])) {
        if (k in out[loc]) throw new Error(`Duplicate i18n key ${loc}:${k}`);
        out[loc][k] = v;
      }
    }
  }
  return out;
}

export function translator(catalog: Record<Locale, Messages>, locale: Locale): T {
  const primary = catalog[locale];
  const fallback = catalog.en;
  return (key, params) => interpolate(primary[key] ?? fallback[key] ?? key, params);
}

/** Best locale from an Accept-Language header. */
export function negotiate(header: string | undefined, fallback: Locale): Locale {
  if (!header) return fallback;
  const tags = header
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: (tag ?? '').toLowerCase().slice(0, 2), q: q ? Number(q) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) if (isLocale(tag)) return tag;
  return fallback;
}
