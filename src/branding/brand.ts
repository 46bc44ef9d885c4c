// The active brand: brand.json + assets. The default lives in
// branding/default; an applied pack lives under $DATA_DIR/branding/active so
// upgrades never overwrite it. Loaded once and cached until reloaded.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Locale } from '../i18n/i18n.js';
import { derivePalette, paletteCss } from './palette.js';

export const DEFAULT_BRAND_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../branding/default');

const Localised = z.union([z.string(), z.object({ es: z.string().optional(), en: z.string().optional() })]);
const Hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour');

export const BrandSchema = z.object({
  id: z.string().min(1).max(80).optional(),
  version: z.string().max(40).optional(),
  name: z.string().min(1).max(60),
  short_name: z.string().min(1).max(30).optional(),
  colors: z.object({ primary: Hex, accent: Hex.optional() }).catchall(Hex),
  login: z.object({ headline: Localised.optional(), subtext: Localised.optional() }).optional(),
  support: z.object({ email: z.string().optional(), url: z.string().optional(), phone: z.string().optional() }).optional(),
  footer: z.string().max(200).optional(),
  default_locale: z.enum(['es', 'en']).default('es'),
  powered_by: z.enum(['show', 'hide']).default('show'),
  assets: z.object({ logo: z.string().optional(), favicon: z.string().optional() }).optional(),
});
export type BrandFile = z.infer<typeof BrandSchema>;

export type Brand = {
  dir: string;
  name: string;
  shortName: string;
  defaultLocale: Locale;
  poweredBy: boolean;
  footer: string;
  support: { email?: string; url?: string; phone?: string };
  colors: Record<string, string>;
  themeCss: string; // palette + pack overrides, served as /brand/theme.css
  logoFile: string | null;
  faviconFile: string | null;
  viewsDir: string | null;
  text(field: 'headline' | 'subtext', locale: Locale): string;
};

function localised(v: z.infer<typeof Localised> | undefined, locale: Locale): string {
  if (!v) return '';
  if (typeof v === 'string') return v;
  return v[locale] ?? v.es ?? v.en ?? '';
}

function assetPath(dir: string, name: string | undefined): string | null {
  if (!name) return null;
  const p = path.resolve(dir, 'assets', name);
  if (!p.startsWith(path.resolve(dir, 'assets') + path.sep)) return null; // no ../ escapes
  return fs.existsSync(p) ? p : null;
}

export function loadBrand(dir: string): Brand {
  const raw = JSON.parse(fs.readFileSync(path.join(dir, 'brand.json'), 'utf8')) as unknown;
  const b = BrandSchema.parse(raw);
  const overridesFile = path.join(dir, 'theme.css');
  const overrides = fs.existsSync(overridesFile) ? fs.readFileSync(overridesFile, 'utf8') : '';
  const viewsDir = path.join(dir, 'views');
  return {
    dir,
    name: b.name,
    shortName: b.short_name ?? b.name,
    defaultLocale: b.default_locale,
    poweredBy: b.powered_by === 'show',
    footer: b.footer ?? b.name,
    support: b.support ?? {},
    colors: b.colors,
    themeCss: paletteCss(derivePalette(b.colors.primary, b.colors.accent)) + overrides,
    logoFile: assetPath(dir, b.assets?.logo ?? 'logo.svg'),
    faviconFile: assetPath(dir, b.assets?.favicon ?? 'favicon.svg'),
    viewsDir: fs.existsSync(viewsDir) ? viewsDir : null,
    text: (field, locale) => localised(b.login?.[field], locale),
  };
}

export function activeBrandDir(dataDir: string): string {
  const applied = path.join(dataDir, 'branding', 'active');
  return fs.existsSync(path.join(applied, 'brand.json')) ? applied : DEFAULT_BRAND_DIR;
}

/** Holds the active brand; `reload()` picks up a newly applied pack without a restart. */
export class BrandStore {
  private current: Brand;
  constructor(private readonly dataDir: string) {
    this.current = loadBrand(activeBrandDir(dataDir));
  }
  get(): Brand {
    return this.current;
  }
  reload(): Brand {
    this.current = loadBrand(activeBrandDir(this.dataDir));
    return this.current;
  }
}
