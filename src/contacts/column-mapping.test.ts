import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoMap, customKeyFor, normalizeHeader, phoneColumn, validateMapping } from './column-mapping.js';
import { messages } from './i18n.js';
import { ColumnMappingInput } from './import-schema.js';

const targets = (headers: string[], sample?: string[][]) =>
  Object.fromEntries(autoMap(headers, { sample, defaultCountry: 'MX' }).map((c) => [c.header, c.target]));

describe('normalizeHeader', () => {
  it('removes case, accents and punctuation', () => {
    assert.equal(normalizeHeader('  Teléfono Móvil '), 'telefono movil');
    assert.equal(normalizeHeader('E-mail 1 - Value'), 'e mail 1 value');
    assert.equal(normalizeHeader('CORREO_ELECTRÓNICO'), 'correo electronico');
  });
});

describe('autoMap: Google Contacts exports', () => {
  it('current layout (First Name … Labels, Phone 1 - Value)', () => {
    const headers = [
      'First Name', 'Middle Name', 'Last Name', 'Phonetic First Name', 'Phonetic Middle Name', 'Phonetic Last Name',
      'Name Prefix', 'Name Suffix', 'Nickname', 'File As', 'Organization Name', 'Organization Title',
      'Birthday', 'Notes', 'Photo', 'Labels', 'E-mail 1 - Label', 'E-mail 1 - Value', 'E-mail 2 - Label',
      'E-mail 2 - Value', 'Phone 1 - Label', 'Phone 1 - Value', 'Phone 2 - Label', 'Phone 2 - Value',
    ];
    const t = targets(headers);
    assert.equal(t['First Name'], 'first_name');
    assert.equal(t['Last Name'], 'last_name');
    assert.equal(t['Phone 1 - Value'], 'phone');
    assert.equal(t['E-mail 1 - Value'], 'email');
    assert.equal(t['Labels'], 'tags');
    assert.equal(t['Notes'], 'notes');
    assert.equal(t['Organization Name'], 'custom:company');
    assert.equal(t['Organization Title'], 'custom:job_title');
    assert.equal(t['Birthday'], 'custom:birthday');
    for (const h of ['Middle Name', 'Phonetic First Name', 'Name Prefix', 'File As', 'Photo', 'E-mail 1 - Label',
      'Phone 1 - Label', 'Phone 2 - Value', 'E-mail 2 - Value']) {
      assert.equal(t[h], 'ignore', h);
    }
    assert.equal(t['Nickname'], 'custom:nickname');
  });

  it('older layout (Name, Given Name, Family Name, Group Membership, Phone 1 - Type)', () => {
    const t = targets([
      'Name', 'Given Name', 'Additional Name', 'Family Name', 'Yomi Name', 'Given Name Yomi', 'Initials', 'Sensitivity',
      'Priority', 'Group Membership', 'E-mail 1 - Type', 'E-mail 1 - Value', 'Phone 1 - Type', 'Phone 1 - Value',
    ]);
    assert.equal(t['Name'], 'display_name');
    assert.equal(t['Given Name'], 'first_name');
    assert.equal(t['Family Name'], 'last_name');
    assert.equal(t['Group Membership'], 'tags');
    assert.equal(t['E-mail 1 - Value'], 'email');
    assert.equal(t['Phone 1 - Value'], 'phone');
    for (const h of ['Additional Name', 'Yomi Name', 'Given Name Yomi', 'Initials', 'Sensitivity', 'Priority', 'E-mail 1 - Type', 'Phone 1 - Type']) {
      assert.equal(t[h], 'ignore', h);
    }
  });
});

describe('autoMap: Outlook and Spanish spreadsheets', () => {
  it('Outlook (English): mobile beats home and business phones', () => {
    const t = targets(['First Name', 'Last Name', 'Title', 'Home Phone', 'Business Phone', 'Mobile Phone', 'E-mail Address', 'E-mail 2 Address', 'Categories']);
    assert.equal(t['Mobile Phone'], 'phone');
    assert.equal(t['Home Phone'], 'ignore');
    assert.equal(t['Business Phone'], 'ignore');
    assert.equal(t['E-mail Address'], 'email');
    assert.equal(t['E-mail 2 Address'], 'ignore');
    assert.equal(t['Categories'], 'tags');
    assert.equal(t['Title'], 'ignore');
  });

  it('Outlook (Spanish)', () => {
    const t = targets(['Nombre', 'Segundo nombre', 'Apellidos', 'Tratamiento', 'Dirección de correo electrónico', 'Teléfono particular', 'Teléfono móvil', 'Categorías', 'Notas']);
    assert.deepEqual(t, {
      Nombre: 'first_name', 'Segundo nombre': 'ignore', Apellidos: 'last_name', Tratamiento: 'ignore',
      'Dirección de correo electrónico': 'email', 'Teléfono particular': 'ignore', 'Teléfono móvil': 'phone',
      Categorías: 'tags', Notas: 'notes',
    });
  });

  it('a Spanish Excel sheet typed by hand', () => {
    const t = targets([
      'Nombre', 'Apellido', 'Teléfono', 'Celular', 'Móvil', 'Correo electrónico', 'Etiquetas', 'Notas', 'Ciudad', 'Empresa',
      'Fecha de nacimiento', 'Idioma', 'Zona horaria', 'Acepta WhatsApp', 'Color favorito',
    ]);
    assert.deepEqual(t, {
      Nombre: 'first_name', Apellido: 'last_name', Teléfono: 'ignore', Celular: 'phone', Móvil: 'ignore',
      'Correo electrónico': 'email', Etiquetas: 'tags', Notas: 'notes', Ciudad: 'custom:city', Empresa: 'custom:company',
      'Fecha de nacimiento': 'custom:birthday', Idioma: 'language', 'Zona horaria': 'timezone', 'Acepta WhatsApp': 'opt_in',
      'Color favorito': 'custom:color_favorito',
    });
  });

  it('is accent- and case-insensitive', () => {
    for (const h of ['TELÉFONO', 'telefono', 'Teléfono ', 'Tel.', 'Nº de teléfono', 'WhatsApp', 'Número de WhatsApp', 'Cel']) {
      assert.equal(targets(['Nombre', h])[h], 'phone', h);
    }
    assert.equal(targets(['CORREO ELECTRONICO', 'Tel'])['CORREO ELECTRONICO'], 'email');
    assert.equal(targets(['e-mail', 'Tel'])['e-mail'], 'email');
  });

  it('a WhatsApp column beats a mobile column', () => {
    assert.deepEqual(targets(['Celular', 'WhatsApp']), { Celular: 'ignore', WhatsApp: 'phone' });
  });

  it('"Nombre" alone is the full name; beside a surname it is the first name', () => {
    assert.equal(targets(['Nombre', 'Teléfono']).Nombre, 'display_name');
    assert.equal(targets(['Nombre', 'Apellidos', 'Teléfono']).Nombre, 'first_name');
    assert.equal(targets(['Nombre completo', 'Nombre', 'Tel']).Nombre, 'first_name');
  });

  it('English simple headers', () => {
    assert.deepEqual(targets(['Name', 'Phone', 'Email', 'Tags', 'Opt-in', 'Language', 'Time zone', 'Notes']), {
      Name: 'display_name', Phone: 'phone', Email: 'email', Tags: 'tags', 'Opt-in': 'opt_in',
      Language: 'language', 'Time zone': 'timezone', Notes: 'notes',
    });
  });
});

describe('autoMap: unknown and content-detected columns', () => {
  it('unknown columns with data become custom fields; empty ones are ignored', () => {
    const m = autoMap(['Tel', 'Mascota', '', 'Vacía', 'Ciudad', 'Ciudad'], {
      sample: [['+52 55 1234 5678', 'perro', 'x', '', 'Lima', 'Quito']],
    });
    assert.deepEqual(m.map((c) => c.target), ['phone', 'custom:mascota', 'custom:column_3', 'ignore', 'custom:city', 'custom:city_2']);
    assert.deepEqual(m.map((c) => c.source), ['header', 'default', 'default', 'default', 'header', 'header']);
  });

  it('finds phone and e-mail columns by their values when headers say nothing', () => {
    const sample = [
      ['Ana', '55 1234 5678', 'ana@x.mx', 'a'],
      ['Luis', '+52 33 1234 5678', 'luis@x.mx', 'b'],
      ['Eva', '', 'eva@x.mx', 'c'],
    ];
    const m = autoMap(['Dato 1', 'Dato 2', 'Dato 3', 'Dato 4'], { sample, defaultCountry: 'MX' });
    assert.equal(m[1].target, 'phone');
    assert.equal(m[1].source, 'content');
    assert.equal(m[2].target, 'email');
    assert.equal(phoneColumn(m), 1);
  });

  it('spots national numbers by shape even without a default country', () => {
    const m = autoMap(['Col A', 'Col B'], { sample: [['Ana', '55 1234 5678'], ['Luis', '(33) 1234-5678']] });
    assert.equal(phoneColumn(m), 1);
  });

  it('does not claim a phone column when too few values are phones', () => {
    const m = autoMap(['A', 'B'], { sample: [['x', '12'], ['y', 'hola'], ['z', '55 1234 5678']], defaultCountry: 'MX' });
    assert.equal(phoneColumn(m), undefined);
  });
});

describe('validateMapping and the form schema', () => {
  it('accepts a complete mapping and lists every problem otherwise', () => {
    assert.deepEqual(validateMapping([{ index: 0, target: 'phone' }, { index: 1, target: 'custom:ciudad' }], 2), []);
    assert.deepEqual(validateMapping([{ index: 0, target: 'email' }], 1), ['contacts.import.no_phone_column']);
    assert.deepEqual(
      validateMapping([{ index: 0, target: 'phone' }, { index: 1, target: 'phone' }, { index: 5, target: 'custom:Bad Key' }], 2),
      ['contacts.import.mapping_duplicate_target', 'contacts.import.mapping_unknown_column', 'contacts.import.mapping_bad_custom_key'],
    );
  });

  it('has es/en text for every mapping problem', () => {
    const problems = validateMapping([{ index: 0, target: 'phone' }, { index: 1, target: 'phone' }, { index: 5, target: 'custom:X' }], 2);
    assert.equal(problems.length, 3);
    for (const code of [...problems, 'contacts.import.no_phone_column']) assert.ok(messages.es[code] && messages.en[code], code);
  });

  it('parses posted mappings with zod', () => {
    assert.deepEqual(ColumnMappingInput.parse([{ index: 0, target: 'phone' }, { index: 1, target: 'custom:ciudad' }]), [
      { index: 0, target: 'phone' },
      { index: 1, target: 'custom:ciudad' },
    ]);
    assert.equal(ColumnMappingInput.safeParse([{ index: 0, target: 'password' }]).success, false);
    assert.equal(ColumnMappingInput.safeParse([{ index: -1, target: 'phone' }]).success, false);
    assert.equal(ColumnMappingInput.safeParse([{ index: 0, target: 'custom:' }]).success, false);
  });

  it('derives custom keys from headers', () => {
    assert.equal(customKeyFor('Fecha de alta', 0), 'custom:fecha_de_alta');
    assert.equal(customKeyFor('2 Teléfono', 0), 'custom:c_2_telefono');
    assert.equal(customKeyFor('¿?', 3), 'custom:column_4');
    assert.match(customKeyFor('x'.repeat(80), 0), /^custom:x{40}$/);
  });
});
