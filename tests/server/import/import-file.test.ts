import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_IMPORT_BYTES, importFile } from '../../../server/import/index.ts';
import { expectRefusal } from './fixtures.ts';

const hello = new TextEncoder().encode('Q : Bonjour.');

describe('importFile › choosing the importer', () => {
  it('matches the extension case-insensitively', async () => {
    expect((await importFile('Entretien.TxT', hello)).format).toBe('txt');
    expect((await importFile('notes.MD', hello)).format).toBe('md');
  });

  it.each(['entretien.pages', 'entretien.doc', 'entretien', 'entretien.txt.exe', '.docx.zip'])(
    'refuses « %s » as unsupported, listing the accepted formats',
    async (name) => {
      const error = await expectRefusal(importFile(name, hello), 'unsupported_media_type', name);
      expect(error.message).toContain('.txt .md .docx .odt .rtf .html .htm .vtt .srt .pdf');
    },
  );
});

describe('importFile › size limit', () => {
  it('defaults to 20 Mo', () => {
    expect(DEFAULT_MAX_IMPORT_BYTES).toBe(20 * 1024 * 1024);
  });

  it('refuses a file over maxBytes before reading it', async () => {
    await expectRefusal(
      importFile('long.txt', hello, { maxBytes: 5 }),
      'payload_too_large',
      'long.txt',
      /limite/,
    );
  });

  it('accepts a file of exactly maxBytes', async () => {
    expect((await importFile('juste.txt', hello, { maxBytes: hello.length })).text).toBe('Q : Bonjour.');
  });

  it('checks the size before the extension', async () => {
    await expectRefusal(importFile('gros.rtf', hello, { maxBytes: 1 }), 'payload_too_large', 'gros.rtf');
  });
});

describe('importFile › empty files', () => {
  it.each(['vide.txt', 'vide.docx', 'vide.odt', 'vide.pdf', 'vide.vtt', 'vide.srt'])(
    'refuses an empty %s as unprocessable, naming it',
    async (name) => {
      await expectRefusal(importFile(name, new Uint8Array()), 'unprocessable', name, /vide/);
    },
  );
});
