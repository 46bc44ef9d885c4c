// Header vocabulary for automatic column mapping. Headers are compared after
// normalizeHeader(): lower case, accents removed, punctuation collapsed to a
// space ("E-mail 1 - Value" → "e mail 1 value", "Teléfono móvil" →
// "telefono movil"). Sources: Google Contacts CSV (current "First Name …
// Labels" layout and the older "Given Name … Group Membership" one), Outlook
// CSV in English and Spanish, and the headers Spanish-speaking offices type
// in Excel. A higher score wins when two columns claim the same target.
export type BuiltinTarget =
  | 'first_name' | 'last_name' | 'display_name' | 'phone' | 'email'
  | 'language' | 'timezone' | 'tags' | 'notes' | 'opt_in';
export type MappingTarget = BuiltinTarget | `custom:${string}` | 'ignore';

/** "nombre"/"name" alone: first name beside a surname column, else the full name. */
export const AMBIGUOUS_NAME = 'name?';
export type RuleTarget = MappingTarget | typeof AMBIGUOUS_NAME;
export type Rule = readonly [target: RuleTarget, score: number, pattern: RegExp];

const WA = 'whats ?app';

export const RULES: readonly Rule[] = [
  // Export noise: type/label companions of value columns, phonetic and
  // photo fields. Ignored by default rather than becoming custom fields.
  ['ignore', 100, /^(?:phone|e mail|email|address|website|relation|event|im|custom field|external id) \d+ (?:type|label)$/],
  ['ignore', 100, /\b(?:yomi|phonetic|photo|foto|file as|initials|sensitivity|priority|mileage|billing information|directory server|name prefix|name suffix|tratamiento|sufijo)\b/],
  ['ignore', 95, /^(?:middle name|additional name|segundo nombre|title|id|uuid)$/],

  ['phone', 100, new RegExp(`^(?:${WA}|wa|(?:numero|telefono|nro|no) (?:de )?${WA}|${WA} (?:number|phone|numero))$`)],
  ['phone', 90, /^(?:cel|cell|celular|movil|mobile|mobile phone|cell phone|cellphone|telefono (?:movil|celular)|numero (?:de )?(?:celular|movil))$/],
  ['phone', 85, /^phone 1 value$/],
  ['phone', 80, /^(?:telefono|telefonos|tel|telf|tlf|fono|phone|phone number|telephone|numero|numero (?:de )?telefono|(?:n|no|nro|num) (?:de )?telefono|primary phone)$/],
  ['phone', 60, /^(?:phone \d+ value|(?:home|business|other|work) phone|telefono (?:particular|del trabajo|trabajo|casa|oficina|fijo))$/],
  ['phone', 50, new RegExp(`\\b(?:telefono|phone|celular|movil|mobile|${WA})\\b`)],

  ['email', 90, /^(?:e ?mail|correo|correo electronico|mail|email address|e mail address|e mail 1 value|direccion de correo(?: electronico)?|direccion de correo electronico)$/],
  ['email', 60, /^(?:e mail \d+ value|e mail \d+ address|correo electronico \d+)$/],
  ['email', 50, /\b(?:e ?mail|correo)\b/],

  [AMBIGUOUS_NAME, 85, /^(?:nombre|name)$/],
  ['first_name', 90, /^(?:first name|given name|firstname|nombre de pila|primer nombre|nombres)$/],
  ['last_name', 90, /^(?:last name|family name|surname|lastname|apellido|apellidos|primer apellido)$/],
  ['display_name', 80, /^(?:full name|display name|nombre completo|nombre y apellidos?|contacto|nombre del contacto|cliente|nombre del cliente)$/],

  ['tags', 90, /^(?:labels|group membership|tags?|etiquetas?|grupos?|categories|categorias|segmentos?|listas?)$/],
  ['notes', 90, /^(?:notes?|notas?|observaciones|observacion|comentarios?|comments?|descripcion|description)$/],
  ['language', 90, /^(?:language|idioma|lengua|lang|locale)$/],
  ['timezone', 90, /^(?:time ?zone|zona horaria|huso horario|tz)$/],
  ['opt_in', 90, /^(?:opt ?in|consent|consentimiento|acepta(?: (?:whats ?app|mensajes|marketing|publicidad|comunicaciones))?|autoriza(?:cion)?(?: (?:whats ?app|envios|mensajes))?|suscrito|subscribed|permiso)$/],
  ['opt_in', 50, /\b(?:opt ?in|consentimiento|consent)\b/],

  // Common extras become well-known custom fields so two files agree.
  ['custom:company', 80, /^(?:company|empresa|compania|organization(?: 1)? name|organizacion|negocio|razon social)$/],
  ['custom:job_title', 80, /^(?:job title|cargo|puesto|organization(?: 1)? title)$/],
  ['custom:city', 80, /^(?:city|ciudad|localidad|municipio|poblacion)$/],
  ['custom:birthday', 80, /^(?:birthday|cumpleanos|fecha de nacimiento|nacimiento|f nacimiento|date of birth|dob)$/],
];

/** Lower case, no accents, punctuation collapsed to single spaces. */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Best rule for a header, or undefined when no rule knows it. */
export function matchRule(header: string): { target: RuleTarget; score: number } | undefined {
  const h = normalizeHeader(header);
  if (!h) return undefined;
  let best: { target: RuleTarget; score: number } | undefined;
  for (const [target, score, pattern] of RULES) {
    if (pattern.test(h) && (!best || score > best.score)) best = { target, score };
  }
  return best;
}

/** Targets a contact has only one of. */
export const SINGLE_TARGETS: ReadonlySet<string> = new Set<BuiltinTarget>([
  'first_name', 'last_name', 'display_name', 'phone', 'email', 'language', 'timezone', 'tags', 'notes', 'opt_in',
]);
