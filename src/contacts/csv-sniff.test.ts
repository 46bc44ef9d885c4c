import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { decode1252, decodeSample, detectDelimiter, detectEncoding, looksBinary, sniffKind, toUtf8 } from './csv-sniff.js';
import { importErrorCode } from './import-errors.js';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

function refusedWith(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => importErrorCode(err) === code);
}

describe('detectEncoding', () => {
  it('recognises BOMs', () => {
    assert.equal(detectEncoding(bytes([0xef, 0xbb, 0xbf], 'a,b')), 'utf8-bom');
    assert.equal(detectEncoding(bytes([0xff, 0xfe], [0x61, 0])), 'utf16le');
  });

  it('tells UTF-8 from Latin-1 / Windows-1252', () => {
    assert.equal(detectEncoding(Buffer.from('Nombre\nMuñoz\n', 'utf8')), 'utf8');
    assert.equal(detectEncoding(Buffer.from('Nombre\nMuñoz\n', 'latin1')), 'windows-1252');
    assert.equal(detectEncoding(Buffer.from('plain ascii', 'utf8')), 'utf8');
  });

  it('does not mistake a UTF-8 character cut at the end of the sample for Latin-1', () => {
    const full = Buffer.from('Peña', 'utf8');
    assert.equal(detectEncoding(full.subarray(0, full.length - 1)), 'utf8');
  });
});

describe('decoding', () => {
  it('decodes Windows-1252 specials that Latin-1 lacks', () => {
    assert.equal(decode1252(bytes('Mu', [0xf1], 'oz ', [0x80, 0x93], 'hola', [0x94, 0x96])), 'Muñoz €“hola”–');
  });

  it('strips BOMs from samples', () => {
    assert.equal(decodeSample(bytes([0xef, 0xbb, 0xbf], 'Nombre'), 'utf8-bom'), 'Nombre');
    assert.equal(decodeSample(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Peña', 'utf16le')]), 'utf16le'), 'Peña');
  });

  it('transcodes streams to UTF-8 across chunk boundaries', async () => {
    const src = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('José;Peña\n', 'utf16le')]);
    const chunks = [src.subarray(0, 5), src.subarray(5, 9), src.subarray(9)]; // split inside a UTF-16 unit
    const out: Buffer[] = [];
    for await (const c of Readable.from(chunks).pipe(toUtf8('utf16le')!)) out.push(c as Buffer);
    assert.equal(Buffer.concat(out).toString('utf8'), 'José;Peña\n');
    assert.equal(toUtf8('utf8'), null);
  });
});

describe('looksBinary / sniffKind', () => {
  it('accepts text and refuses control-character soup', () => {
    assert.equal(looksBinary('Nombre,Teléfono\r\nAna,55\t12\n'), false);
    assert.equal(looksBinary('a\0b'), true);
    assert.equal(looksBinary('\x01\x02\x03abc'), true);
  });

  it('classifies by magic bytes', () => {
    assert.deepEqual(sniffKind(bytes([0x50, 0x4b, 0x03, 0x04], 'rest')), { kind: 'xlsx' });
    assert.deepEqual(sniffKind(Buffer.from('a;b\n', 'latin1')), { kind: 'text', encoding: 'utf8' });
    refusedWith(() => sniffKind(bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'x')), 'contacts.import.xls_not_supported');
    refusedWith(() => sniffKind(bytes('%PDF-1.7\n')), 'contacts.import.not_tabular');
    refusedWith(() => sniffKind(bytes([0x89], 'PNG\r\n', [0x1a, 0x0a, 0, 0, 0, 0x0d], 'IHDR')), 'contacts.import.not_tabular');
    refusedWith(() => sniffKind(bytes([0xfe, 0xff, 0, 0x61])), 'contacts.import.unsupported_encoding');
  });

  it('refuses random binary data', () => {
    let x = 12345;
    const junk = Buffer.alloc(4096, 0).map(() => (x = (x * 1103515245 + 12345) & 0x7fffffff) >> 16);
    refusedWith(() => sniffKind(junk), 'contacts.import.not_tabular');
  });
});

describe('detectDelimiter', () => {
  const guess = (s: string, complete = true) => detectDelimiter(s, complete).delimiter;

  it('finds each supported delimiter', () => {
    assert.equal(guess('a,b,c\n1,2,3\n4,5,6\n'), ',');
    assert.equal(guess('a;b;c\n1;2;3\n'), ';');
    assert.equal(guess('a\tb\tc\n1\t2\t3\n'), '\t');
    assert.equal(guess('a|b|c\n1|2|3\n'), '|');
  });

  it('prefers consistency over frequency (decimal commas in a semicolon file)', () => {
    assert.equal(guess('Nombre;Saldo\nAna;12,5\nLuis;1,25\nEva;3\n'), ';');
    assert.equal(guess('Nombre;Notas;Tel\nAna;uno, dos, tres;55\nLuis;a,b;56\n'), ';');
  });

  it('ignores delimiters inside quotes, including multi-line fields', () => {
    assert.equal(guess('Nombre;Notas\n"Peña, José";"a,b,c,d"\n"X";"l1,\nl2,,"\n'), ';');
    assert.equal(guess('a,b\n"x;y;z",1\n"p;q;r",2\n'), ',');
  });

  it('reads the Excel sep= hint and reports the line to skip', () => {
    assert.deepEqual(detectDelimiter('sep=;\r\nNombre;Tel\r\n'), { delimiter: ';', skipLines: 1 });
    assert.deepEqual(detectDelimiter('SEP=|\nx|y\n'), { delimiter: '|', skipLines: 1 });
  });

  it('handles a header-only sample, a single column and a cut last line', () => {
    assert.equal(guess('Nombre;Apellido;Teléfono'), ';');
    assert.equal(guess('Teléfono\n5512345678\n'), ',');
    assert.equal(guess('a;b\n1;2\n3,4,5,6,7,8', false), ';');
  });
});
