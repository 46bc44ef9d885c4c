// The composer's interactive forms → the send service's buttons/list input.
// Blank slots are skipped; the builders in whatsapp/messages.ts decide what is
// valid (Meta's limits), and their field paths (`buttons.1.title`,
// `sections.0.rows.2.title`, …) are mapped back to the form's inputs so each
// error sits next to the input that caused it.
import { Invalid, type FieldErrors } from '../errors.js';
import type { ButtonsInput, ListInput } from '../whatsapp/messages.js';

/** Slots the forms offer: Meta allows 3 buttons, and 10 list rows in all. */
export const BUTTON_SLOTS = 3;
export const LIST_SECTION_SLOTS = 2;
export const LIST_ROW_SLOTS = 5;

type Body = Record<string, unknown>;

const val = (b: Body, k: string): string => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');
const opt = (b: Body, k: string): string | undefined => val(b, k) || undefined;

/** Form field names, shared with views/inbox/_compose-interactive.ejs. */
export const F = {
  btnBody: 'btn_body', btnHeader: 'btn_header', btnFooter: 'btn_footer',
  btnTitle: (i: number) => `btn_title_${i}`,
  listBody: 'list_body', listButton: 'list_button', listHeader: 'list_header', listFooter: 'list_footer',
  section: (i: number) => `list_section_${i}`,
  row: (i: number, j: number) => `list_row_${i}_${j}`,
  desc: (i: number, j: number) => `list_desc_${i}_${j}`,
} as const;

type Remap = (builderField: string) => string;

/** Re-keys the builder's Invalid onto the form's field names. */
export function remapInvalid(e: unknown, remap: Remap): never {
  if (!(e instanceof Invalid)) throw e;
  const fields: FieldErrors = {};
  for (const [k, v] of Object.entries(e.fields)) fields[remap(k)] ??= v;
  throw new Invalid(fields, e.code);
}

export function buttonsFrom(b: Body): { input: ButtonsInput; remap: Remap } {
  const slots = Array.from({ length: BUTTON_SLOTS }, (_v, i) => i).filter((i) => val(b, F.btnTitle(i)));
  const header = opt(b, F.btnHeader);
  const input: ButtonsInput = {
    body: val(b, F.btnBody),
    // Stable ids from the slot, so a reply says which button it was.
    buttons: slots.map((i) => ({ id: `btn_${i + 1}`, title: val(b, F.btnTitle(i)) })),
    ...(header ? { header: { type: 'text', text: header } } : {}),
    ...(opt(b, F.btnFooter) ? { footer: opt(b, F.btnFooter) } : {}),
  };
  const remap: Remap = (k) => {
    const m = /^buttons\.(\d+)\./.exec(k);
    if (m) return F.btnTitle(slots[Number(m[1])] ?? 0);
    return ({ body: F.btnBody, header: F.btnHeader, footer: F.btnFooter, buttons: F.btnTitle(0) } as Record<string, string>)[k] ?? F.btnBody;
  };
  return { input, remap };
}

export function listFrom(b: Body): { input: ListInput; remap: Remap } {
  const sections: Array<{ slot: number; rows: number[] }> = [];
  for (let i = 0; i < LIST_SECTION_SLOTS; i++) {
    const rows = Array.from({ length: LIST_ROW_SLOTS }, (_v, j) => j).filter((j) => val(b, F.row(i, j)) || val(b, F.desc(i, j)));
    if (rows.length || val(b, F.section(i))) sections.push({ slot: i, rows });
  }
  const input: ListInput = {
    body: val(b, F.listBody),
    button: val(b, F.listButton),
    sections: sections.map((s) => ({
      ...(opt(b, F.section(s.slot)) ? { title: opt(b, F.section(s.slot)) } : {}),
      rows: s.rows.map((j) => ({
        id: `row_${s.slot + 1}_${j + 1}`,
        title: val(b, F.row(s.slot, j)),
        ...(opt(b, F.desc(s.slot, j)) ? { description: opt(b, F.desc(s.slot, j)) } : {}),
      })),
    })),
    ...(opt(b, F.listHeader) ? { header: opt(b, F.listHeader) } : {}),
    ...(opt(b, F.listFooter) ? { footer: opt(b, F.listFooter) } : {}),
  };
  const remap: Remap = (k) => {
    const row = /^sections\.(\d+)\.rows\.(\d+)\.(\w+)$/.exec(k);
    if (row) {
      const s = sections[Number(row[1])];
      const i = s?.slot ?? 0;
      const j = s?.rows[Number(row[2])] ?? 0;
      return row[3] === 'description' ? F.desc(i, j) : F.row(i, j);
    }
    const sec = /^sections\.(\d+)\.title$/.exec(k);
    if (sec) return F.section(sections[Number(sec[1])]?.slot ?? 0);
    const top: Record<string, string> = {
      body: F.listBody, button: F.listButton, header: F.listHeader, footer: F.listFooter, sections: F.row(0, 0), rows: F.row(0, 0),
    };
    return top[k] ?? F.listBody;
  };
  return { input, remap };
}
