// The filter panel's custom field rows (views/contacts/_custom-filters.ejs):
// one row per condition in the query string plus one empty row to add
// another, each naming the operators its field's type takes. The page script
// (public/js/contacts-filter.js) only narrows the choices while editing;
// without it the server reports an operator the type does not take.
import type { T } from '../i18n/i18n.js';
import type { CustomFieldDef } from './custom-values.js';
import { LIST_CUSTOM_OPS, LIST_OPS_BY_TYPE, MAX_CUSTOM_FILTERS, type CustomFilter, type ListCustomOp } from './list-custom.js';
import { CUSTOM_FIELD_TYPES } from './segments/condition.js';

export type CustomFilterRow = {
  i: number; key: string; op: ListCustomOp | ''; values: string[]; to: string;
  /** How the value is asked for: a text box, a number, a date, yes/no, or a list of the field's options. */
  input: 'text' | 'number' | 'date' | 'bool' | 'options';
  options: string[];
};

export type CustomFilterPanel = {
  rows: CustomFilterRow[];
  fields: Array<{ key: string; label: string; type: string; options: string }>;
  ops: Array<{ value: ListCustomOp; label: string; types: string }>;
};

const INPUT: Record<CustomFieldDef['type'], CustomFilterRow['input']> = {
  text: 'text', number: 'number', date: 'date', boolean: 'bool', select: 'options', multiselect: 'options',
};

export function customFilterPanel(filters: CustomFilter[], fields: CustomFieldDef[], t: T): CustomFilterPanel {
  const rows: CustomFilterRow[] = filters.slice(0, MAX_CUSTOM_FILTERS).map((f, n) => {
    const def = fields.find((x) => x.key === f.key);
    return {
      i: n + 1, key: f.key, op: f.op ?? '', values: f.values, to: f.to,
      input: def ? INPUT[def.type] : 'text', options: def?.options ?? [],
    };
  });
  if (rows.length < MAX_CUSTOM_FILTERS) rows.push({ i: rows.length + 1, key: '', op: '', values: [], to: '', input: 'text', options: [] });
  return {
    rows,
    fields: fields.map((f) => ({ key: f.key, label: f.label, type: f.type, options: JSON.stringify(f.options) })),
    ops: LIST_CUSTOM_OPS.map((op) => ({
      value: op, label: t(`contacts.filter.op.${op}`),
      types: CUSTOM_FIELD_TYPES.filter((ty) => LIST_OPS_BY_TYPE[ty].includes(op)).join(' '),
    })),
  };
}
