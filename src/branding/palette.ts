// Derives a full palette (tints, shades, readable text colour) from one brand
// colour, so a pack needs only `colors.primary` (Cal.com style).
export type Rgb = [number, number, number];

export function parseHex(hex: string): Rgb | null {
  const m = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(hex.trim());
  if (!m) return null;
  let h = m[1]!;
  if (h.length === 3) h = h.split('').map((c) => c + c).join('');
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}

export function toHex([r, g, b]: Rgb): string {
  return '#' + [r, g, b].map((v) => Math.round(Math.max(0, Math.min(255, v))).toString(16).padStart(2, '0')).join('');
}

function channel(v: number): number {
  const s = v / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function luminance([r, g, b]: Rgb): number {
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];
const INK: Rgb = [17, 24, 39];

/** White or near-black, whichever reads better on `bg`. */
export function readableOn(bg: Rgb): Rgb {
  return contrast(bg, WHITE) >= contrast(bg, INK) ? WHITE : INK;
}

/** Darkens `c` until white text on it reaches `ratio` (WCAG AA 4.5:1 for buttons). */
export function darkenForText(c: Rgb, ratio = 4.5): Rgb {
  let out = c;
  for (let i = 0; i < 20 && contrast(out, WHITE) < ratio; i++) out = mix(out, BLACK, 0.08);
  return out;
}

export type Palette = Record<string, string>;

export function derivePalette(primaryHex: string, accentHex?: string): Palette {
  const primary = parseHex(primaryHex) ?? [11, 122, 92];
  const accent = (accentHex && parseHex(accentHex)) || primary;
  const button = darkenForText(primary);
  return {
    '--brand': toHex(primary),
    '--brand-strong': toHex(button),
    '--brand-strong-hover': toHex(mix(button, BLACK, 0.15)),
    '--brand-on': toHex(readableOn(button)),
    '--brand-50': toHex(mix(primary, WHITE, 0.94)),
    '--brand-100': toHex(mix(primary, WHITE, 0.86)),
    '--brand-200': toHex(mix(primary, WHITE, 0.7)),
    '--brand-700': toHex(mix(primary, BLACK, 0.3)),
    '--brand-900': toHex(mix(primary, BLACK, 0.55)),
    '--accent': toHex(accent),
    '--accent-on': toHex(readableOn(accent)),
  };
}

export function paletteCss(p: Palette): string {
  return `:root {\n${Object.entries(p).map(([k, v]) => `  ${k}: ${v};`).join('\n')}\n}\n`;
}
