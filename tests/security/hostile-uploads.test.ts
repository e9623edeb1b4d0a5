/**
 * Hostile uploads against a real server over a file store: each is refused with a clear 4xx and a
 * message in French, and the data folder is, byte for byte, what it was before.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprint, settledFingerprint } from '../helpers/data-folder.ts';
import { pdfBomb } from '../helpers/hostile-pdfs.ts';
import { withDeclaredSize, zerosZip } from '../helpers/hostile-zips.ts';
import { Client, startTestServer, type TestServer } from '../helpers/server.ts';
import { fixture } from '../server/import/fixtures.ts';
import { form, qdpx } from '../server/refi/support.ts';

const MAX_UPLOAD_BYTES = 1024 * 1024;
/** Ends with three emoji: a UTF-16 offset inside the last one lies past the text in code points. */
const TEXT = 'Enquêtrice : Et la billetterie ?\nCamille : On ressaisit tout à la main 😩😩😩';

let server: TestServer;
let lead: Client;
let base: string;
let documentId: string;
let codeId: string;

beforeEach(async () => {
  server = await startTestServer({ maxUploadBytes: MAX_UPLOAD_BYTES });
  lead = new Client(() => server.url);
  const setup = await lead.post('/api/auth/setup', { username: 'admin', password: 'mot-de-passe-admin' });
  expect(setup.status).toBe(201);
  base = `/api/projects/${(await lead.post('/api/projects', { name: 'Billetterie' })).body.id}`;
  const document = await lead.post(`${base}/documents`, { name: 'entretien.txt', text: TEXT });
  documentId = document.body.documents[0].id;
  codeId = (await lead.post(`${base}/codes`, { name: 'Ressaisie' })).body.id;
  expect((await lead.post(`${base}/codings`, { documentId, codeId, start: 46, end: 55 })).status).toBe(201);
  // The search index is a cache written 2 s after it changes: search once, then restart (which
  // writes it at once, as a shutdown does), so that it is in the folder before any fingerprint.
  expect((await lead.get(`${base}/search?q=billetterie`)).status).toBe(200);
  await server.restart();
  expect(Object.keys((await fingerprint(server.dataDir)).files)).toContainEqual(
    expect.stringMatching(/cache\/search-index$/),
  );
});
afterEach(async () => {
  await server.stop();
});

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/**
 * Send a hostile request once the server is idle; expect `status` with `{error: {code, message}}`
 * (a French `message`), and the data folder unchanged, down to the last byte.
 */
async function expectRefused(
  send: () => Promise<Answer>,
  status: number,
  code: string,
  message: RegExp,
): Promise<Answer> {
  const before = await settledFingerprint(server.dataDir);
  const res = await send();
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error).toMatchObject({ code, message: expect.stringMatching(message) });
  expect(await settledFingerprint(server.dataDir)).toEqual(before);
  return res;
}

const upload = (bytes: Uint8Array, name: string) => () =>
  lead.request('POST', `${base}/documents`, form(bytes, name));
const importProject =
  (bytes: Uint8Array, name = 'projet.qdpx') =>
  () =>
    lead.request('POST', '/api/projects/import', form(bytes, name));

/** The fixture interview as a .docx, with parts replaced or added. */
function docxWith(parts: Record<string, Uint8Array>): Uint8Array {
  return zipSync({ ...unzipSync(fixture('entretien.docx')), ...parts });
}

/** An XML part with a DOCTYPE declaring an external entity, and a reference to it after `tag`. */
function withXxe(xml: string, root: string, tag: string, reference: string): string {
  const doctype = `<!DOCTYPE ${root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`;
  expect(xml).toContain(tag);
  return xml.replace('?>', `?>${doctype}`).replace(tag, `${tag}${reference}`);
}

describe('oversized uploads', () => {
  it('refuses a file over the upload limit with 413 payload_too_large, naming it', async () => {
    const big = new Uint8Array(MAX_UPLOAD_BYTES + 1).fill(0x61);
    await expectRefused(
      upload(big, 'gros.txt'),
      413,
      'payload_too_large',
      /« gros\.txt » est trop volumineux/,
    );
  });
});

describe('uploads bounded in memory', () => {
  it('refuses a JSON text over the 2 Mo JSON limit with 413, as any JSON body', async () => {
    const text = `Camille : ${'on ressaisit tout. '.repeat(200_000)}`;
    expect(text.length).toBeGreaterThan(3 * 1024 * 1024);
    await expectRefused(
      () => lead.post(`${base}/documents`, { name: 'long.txt', text }),
      413,
      'payload_too_large',
      /La requête est trop volumineuse/,
    );
  });

  it('refuses a 300 Ko PDF whose page inflates to 300 Mo (a decompression bomb), naming it', async () => {
    const bomb = await pdfBomb('Camille : on ressaisit tout', 300);
    await expectRefused(
      upload(bomb, 'bombe.pdf'),
      422,
      'unprocessable',
      /« bombe\.pdf » est refusé : il est anormalement compressé/,
    );
  });

  it('refuses a third upload from one account while two are under way (429), reading none of it', async () => {
    const { port } = new URL(server.url);
    const held = [0, 1].map(() => {
      const socket = connect(Number(port), '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(
        `POST ${base}/documents HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${lead.cookie}\r\n` +
          `Content-Type: multipart/form-data; boundary=lent\r\nContent-Length: 100000\r\n\r\n` +
          `--lent\r\nContent-Disposition: form-data; name="file"; filename="lent.txt"\r\n\r\nCamille : `,
      );
      return socket;
    });
    try {
      // Both slow uploads have reached the handler once the server is idle again.
      await settledFingerprint(server.dataDir);
      const answer = await expectRefused(
        upload(strToU8('Camille : bonjour'), 'troisieme.txt'),
        429,
        'too_many_requests',
        /Vous avez déjà 2 envois en cours/,
      );
      expect(answer).toBeDefined();
    } finally {
      for (const socket of held) socket.destroy();
    }
    // Once they are gone, the account may upload again.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await upload(strToU8('Camille : bonjour'), 'apres.txt')()).status).toBe(201);
  });

  it('refuses with 413 a chunked body (no Content-Length) once it passes the limit, counting as it streams', async () => {
    const head = strToU8(
      '--bout\r\nContent-Disposition: form-data; name="file"; filename="projet.qdpx"\r\n\r\n',
    );
    const megabyte = new Uint8Array(1024 * 1024).fill(0x61);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Far past the 50 Mo limit of a project archive; the server stops reading at the limit.
        if (sent === 0) controller.enqueue(head);
        if (sent++ < 80) controller.enqueue(megabyte);
        else controller.close();
      },
    });
    await expectRefused(
      async () => {
        const res = await fetch(`${server.url}/api/projects/import`, {
          method: 'POST',
          headers: { cookie: lead.cookie, 'content-type': 'multipart/form-data; boundary=bout' },
          body,
          duplex: 'half',
        } as RequestInit);
        return { status: res.status, body: await res.json() };
      },
      413,
      'payload_too_large',
      /La requête est trop volumineuse/,
    );
    expect(sent).toBeLessThan(80);
  });

  it('keeps the other files of a form when one is over the limit, and names it', async () => {
    const data = new FormData();
    data.append('file', new Blob([new Uint8Array(MAX_UPLOAD_BYTES * 3).fill(0x61)]), 'gros.txt');
    data.append('file', new Blob(['Camille : bonjour']), 'petit.txt');
    const res = await lead.request('POST', `${base}/documents`, data);
    expect(res.status).toBe(201);
    expect(res.body.documents.map((d: { name: string }) => d.name)).toEqual(['petit.txt']);
    expect(res.body.errors).toEqual([
      {
        file: 'gros.txt',
        code: 'payload_too_large',
        message: 'Le fichier « gros.txt » est trop volumineux : la limite est de 1 Mo par fichier.',
      },
    ]);
  });
});

describe('a Content-Length that lies (hand-made requests on a raw socket)', () => {
  const BOUNDARY = 'verbatim-hostile-boundary';
  const BODY = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="menteur.txt"\r\n` +
      `Content-Type: text/plain\r\n\r\nEnquêtrice : Bonjour.\nCamille : Bonjour !\n\r\n--${BOUNDARY}--\r\n`,
  );

  interface RawAnswer {
    /** Undefined when the server closed the connection without answering. */
    status: number | undefined;
    body: unknown;
  }

  /**
   * POST `body` to the documents route declaring `declared` bytes, on a socket of its own, in one
   * write; with `endEarly` the client then closes its side. The first answer, if any, is parsed.
   */
  function rawUpload(
    declared: number,
    body: Buffer,
    endEarly = false,
    path = `${base}/documents`,
  ): Promise<RawAnswer> {
    const { port } = new URL(server.url);
    const head =
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${lead.cookie}\r\n` +
      `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${declared}\r\n` +
      `Connection: close\r\n\r\n`;
    return new Promise((resolveAnswer) => {
      const socket = connect(Number(port), '127.0.0.1');
      const chunks: Buffer[] = [];
      const timer = setTimeout(() => socket.destroy(), 15_000);
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', () => undefined); // A reset after the answer: what was read still counts.
      socket.on('close', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
        const payload = text.slice(text.indexOf('\r\n\r\n') + 4);
        let parsed: unknown;
        try {
          parsed = JSON.parse(payload);
        } catch {
          parsed = undefined;
        }
        resolveAnswer({ status: status === undefined ? undefined : Number(status), body: parsed });
      });
      socket.write(Buffer.concat([Buffer.from(head), body]));
      if (endEarly) socket.end();
    });
  }

  const routes: [string, () => string][] = [
    ['documents', () => `${base}/documents`],
    ['project import', () => '/api/projects/import'],
    ['codebook import', () => `${base}/codes/import`],
    ['participants import', () => `${base}/participants/import`],
  ];
  for (const [route, path] of routes) {
    it(`answers 400 to a request declaring fewer bytes than it sends, and stores nothing (${route})`, async () => {
      const before = await settledFingerprint(server.dataDir);
      const answer = await rawUpload(BODY.length - 20, BODY, false, path());
      // The declared bytes are a multipart body cut short (400 invalid_input); the bytes past them
      // are no request, and Node's parser answers them with a bare 400 and closes the connection.
      // Whichever comes first reaches the client: 400 either way, never a 500.
      expect(answer.status).toBe(400);
      if (answer.body !== undefined) {
        expect(answer.body).toMatchObject({
          error: { code: 'invalid_input', message: expect.stringMatching(/formulaire multipart/) },
        });
      }
      expect(await settledFingerprint(server.dataDir)).toEqual(before);
    });
  }

  for (const [route, path] of routes) {
    it(`answers 400 invalid_input, in French, to a multipart form cut before its end (${route})`, async () => {
      // What the handler sees of a lying Content-Length, without Node's parser racing it.
      const cut = BODY.subarray(0, BODY.length - 20);
      const answer = await expectRefused(
        () => rawUpload(cut.length, cut, false, path()) as Promise<Answer>,
        400,
        'invalid_input',
        /formulaire multipart est mal formé ou a été interrompu/,
      );
      expect(answer.status).toBe(400);
    });
  }

  it('refuses with 413 a request declaring more than the limit while sending little', async () => {
    const answer = await expectRefused(
      () => rawUpload(60 * 1024 * 1024, BODY) as Promise<Answer>,
      413,
      'payload_too_large',
      /La requête est trop volumineuse/,
    );
    expect(answer.body.error.message).toBe('La requête est trop volumineuse.');
  });

  it('gives no 2xx to a request whose body ends before its declared length, and stores nothing', async () => {
    const before = await settledFingerprint(server.dataDir);
    const answer = await rawUpload(BODY.length + 1000, BODY, true);
    // The client closed its side mid-body: Node answers a bare 400, or closes without a word.
    expect([400, undefined]).toContain(answer.status);
    expect(await settledFingerprint(server.dataDir)).toEqual(before);
  });
});

describe('zip bombs', () => {
  it('refuses a .docx whose entry declares 300 Mo, from the zip directory alone', async () => {
    const bomb = withDeclaredSize(
      { ...unzipSync(fixture('entretien.docx')), 'word/media/big.bin': new Uint8Array(1000) },
      'word/media/big.bin',
      300 * 1024 * 1024,
    );
    await expectRefused(upload(bomb, 'bombe.docx'), 422, 'unprocessable', /dépasserait 200 Mo/);
  });

  it('refuses a .docx of a few kilobytes that would inflate to 20 Mo (ratio over 200)', async () => {
    const bomb = zerosZip('word/document.xml', 20);
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expectRefused(upload(bomb, 'bombe.docx'), 422, 'unprocessable', /bombe de décompression/);
  });

  it('refuses a .docx whose document declares fewer bytes than it inflates to', async () => {
    const parts = unzipSync(fixture('entretien.docx'));
    const size = (parts['word/document.xml'] as Uint8Array).length;
    const liar = withDeclaredSize(parts, 'word/document.xml', Math.floor(size / 2));
    await expectRefused(
      upload(liar, 'menteur.docx'),
      422,
      'unprocessable',
      /« menteur\.docx » est endommagé/,
    );
  });

  it('refuses a .qdpx whose source declares 300 Mo', async () => {
    const bomb = withDeclaredSize(
      { 'project.qde': strToU8('<Project/>'), 'sources/big.txt': new Uint8Array(1000) },
      'sources/big.txt',
      300 * 1024 * 1024,
    );
    await expectRefused(importProject(bomb), 422, 'unprocessable', /dépasserait 200 Mo/);
  });

  it('refuses a .qdpx of a few kilobytes that would inflate to 20 Mo', async () => {
    await expectRefused(
      importProject(zerosZip('project.qde', 20)),
      422,
      'unprocessable',
      /bombe de décompression/,
    );
  });
});

describe('zip slip: entry names that leave the archive', () => {
  const slips: [string, () => string][] = [
    ['a relative path climbing out (../../)', () => `../../verbatim-zip-slip-${randomUUID()}.txt`],
    ['an absolute path', () => join(tmpdir(), `verbatim-zip-slip-${randomUUID()}.txt`)],
  ];

  /** Where the entry would have landed, had it been unpacked under any folder of the data or cwd. */
  async function landingSpots(entry: string): Promise<string[]> {
    if (isAbsolute(entry)) return [entry];
    const { folders } = await fingerprint(server.dataDir);
    const roots = [server.dataDir, ...folders.map((f) => join(server.dataDir, f)), process.cwd()];
    return roots.map((root) => resolve(root, entry));
  }

  for (const [what, entryName] of slips) {
    it(`refuses a .docx holding ${what}, writing nothing anywhere`, async () => {
      const entry = entryName();
      await expectRefused(
        upload(docxWith({ [entry]: strToU8('pwned') }), 'glissement.docx'),
        422,
        'unprocessable',
        /chemin qui sort de l'archive/,
      );
      for (const spot of await landingSpots(entry)) expect(existsSync(spot), spot).toBe(false);
    });

    it(`refuses a .qdpx holding ${what}, writing nothing anywhere`, async () => {
      const entry = entryName();
      const archive = zipSync({ 'project.qde': strToU8('<Project/>'), [entry]: strToU8('pwned') });
      await expectRefused(importProject(archive), 422, 'unprocessable', /chemin qui sort de l'archive/);
      for (const spot of await landingSpots(entry)) expect(existsSync(spot), spot).toBe(false);
    });
  }
});

describe('XML external entities (XXE)', () => {
  it('refuses a .docx whose word/document.xml declares a DOCTYPE', async () => {
    const xml = strFromU8(unzipSync(fixture('entretien.docx'))['word/document.xml'] as Uint8Array);
    const hostile = withXxe(xml, 'w:document', '<w:body>', '<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>');
    await expectRefused(
      upload(docxWith({ 'word/document.xml': strToU8(hostile) }), 'xxe.docx'),
      422,
      'unprocessable',
      /« xxe\.docx » est refusé : son contenu déclare un DOCTYPE/,
    );
  });

  it('refuses an .odt whose content.xml declares a DOCTYPE', async () => {
    const parts = unzipSync(fixture('entretien.odt'));
    const xml = strFromU8(parts['content.xml'] as Uint8Array);
    const hostile = withXxe(xml, 'office:document-content', '<office:text>', '<text:p>&xxe;</text:p>');
    await expectRefused(
      upload(zipSync({ ...parts, 'content.xml': strToU8(hostile) }), 'xxe.odt'),
      422,
      'unprocessable',
      /« xxe\.odt » est refusé : son contenu déclare un DOCTYPE/,
    );
  });

  it('refuses a .qdpx whose project.qde declares a DOCTYPE', async () => {
    const xml =
      '<?xml version="1.0" encoding="utf-8"?>' +
      '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Description></Description></Project>';
    const hostile = withXxe(xml, 'Project', '<Description>', '&xxe;');
    await expectRefused(importProject(qdpx(hostile)), 422, 'unprocessable', /déclare un DOCTYPE/);
  });

  /** Codes nested `depth` deep inside a REFI-QDA codebook, as a recursive reader would walk them. */
  const nestedCodes = (depth: number) =>
    `<CodeBook><Codes>${'<Code>'.repeat(depth)}${'</Code>'.repeat(depth)}</Codes></CodeBook>`;

  it('refuses a .qdpx nested 20,000 elements deep with 422, in French, before walking it', async () => {
    const deep = `<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p">${nestedCodes(20_000)}</Project>`;
    // Stored, not deflated: so repetitive a file would otherwise be refused as a zip bomb first.
    const archive = zipSync({ 'project.qde': [strToU8(deep), { level: 0 }] });
    await expectRefused(importProject(archive), 422, 'unprocessable', /imbriqués sur plus de 100 niveaux/);
  });

  it('refuses a .qdpx whose code name hides a zero-width space, naming it, with 422', async () => {
    const xml =
      '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p">' +
      '<CodeBook><Codes><Code guid="7a1c5d52-1e0f-4c8b-9b1e-3f2a6c0d9e11" name="Coûts\u200B" isCodable="true"/>' +
      '</Codes></CodeBook></Project>';
    const archive = zipSync({ 'project.qde': strToU8(xml) });
    await expectRefused(importProject(archive), 422, 'unprocessable', /caractère invisible \(U\+200B\)/);
  });

  it('refuses a .qdc whose code name hides a right-to-left override, with 422', async () => {
    const xml =
      '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>' +
      '<Code guid="7a1c5d52-1e0f-4c8b-9b1e-3f2a6c0d9e12" name="RGPD\u202E" isCodable="true"/></Codes></CodeBook>';
    await expectRefused(
      () => lead.request('POST', `${base}/codes/import`, form(xml, 'codes.qdc')),
      422,
      'unprocessable',
      /U\+202E/,
    );
  });

  it('refuses a .qdc codebook nested 20,000 elements deep with 422, in French', async () => {
    const deep = nestedCodes(20_000).replace('<CodeBook>', '<CodeBook xmlns="urn:QDA-XML:codebook:1.0">');
    await expectRefused(
      () => lead.request('POST', `${base}/codes/import`, form(deep, 'codes.qdc')),
      422,
      'unprocessable',
      /imbriqués sur plus de 100 niveaux/,
    );
  });
});

describe('malformed files', () => {
  const cases: [string, () => Uint8Array, string, RegExp][] = [
    [
      'random bytes named .docx',
      () => fixture('corrompu.docx'),
      'bruit.docx',
      /n'est pas une archive valide/,
    ],
    [
      'a zip without word/document.xml',
      () => zipSync({ 'word/styles.xml': strToU8('<w:styles/>') }),
      'sans-document.docx',
      /n'est pas un document Word \(\.docx\) valide/,
    ],
    ['a .docx cut in half', () => fixture('tronque.docx'), 'tronque.docx', /endommagé ou tronqué/],
    ['garbage behind a %PDF- header', () => fixture('corrompu.pdf'), 'bruit.pdf', /n'est pas un PDF valide/],
    [
      'a real PDF cut in half',
      () => {
        const pdf = fixture('entretien.pdf');
        return pdf.subarray(0, pdf.length >> 1);
      },
      'coupe.pdf',
      /n'est pas un PDF valide/,
    ],
  ];
  it.each(cases)('refuses %s with 422 unprocessable', async (_what, bytes, name, message) => {
    await expectRefused(upload(bytes(), name), 422, 'unprocessable', message);
  });
});

describe('text that is not text', () => {
  const cases: [string, number[], RegExp][] = [
    [
      'a UTF-8 byte-order mark followed by invalid UTF-8 (0xC3 0x28)',
      [0xef, 0xbb, 0xbf, 0x43, 0x61, 0x66, 0xc3, 0x28],
      /commence comme de l'UTF-8 mais contient des octets invalides/,
    ],
    ['binary bytes (NUL)', [0x43, 0x61, 0x00, 0x66, 0xe9], /n'est pas un texte lisible/],
    [
      'UTF-16 LE with a lone surrogate (0xD83D)',
      [0xff, 0xfe, 0x43, 0x00, 0x3d, 0xd8, 0x61, 0x00],
      /moitié de paire de substitution/,
    ],
    [
      'UTF-16 BE with a lone low surrogate (0xDE00)',
      [0xfe, 0xff, 0x00, 0x43, 0xde, 0x00, 0x00, 0x61],
      /moitié de paire de substitution/,
    ],
    ['UTF-16 with an odd number of bytes', [0xff, 0xfe, 0x43, 0x00, 0x61], /tronqué/],
  ];
  it.each(cases)('refuses %s with 422 unprocessable', async (_what, bytes, message) => {
    await expectRefused(upload(new Uint8Array(bytes), 'texte.txt'), 422, 'unprocessable', message);
  });

  it('refuses a JSON text carrying a lone surrogate with 400 invalid_input', async () => {
    await expectRefused(
      () => lead.post(`${base}/documents`, { name: 'seul.txt', text: 'Camille : \ud83d !' }),
      400,
      'invalid_input',
      /moitié de paire de substitution/,
    );
  });

  it('refuses a JSON text carrying a NUL with 400 invalid_input naming the field', async () => {
    await expectRefused(
      () => lead.post(`${base}/documents`, { name: 'nul.txt', text: 'Camille : \u0000 !' }),
      400,
      'invalid_input',
      /^text : .*caractère de contrôle \(U\+0000\)/,
    );
  });

  it('refuses a file whose name hides a right-to-left override (« txt.exe » shown reversed)', async () => {
    await expectRefused(
      upload(strToU8('Camille : bonjour.'), 'entretien\u202Etxt.exe.txt'),
      422,
      'unprocessable',
      /caractère invisible \(U\+202E\)/,
    );
  });

  it('refuses a .srt subtitle file holding NUL characters', async () => {
    const srt = '1\n00:00:01,000 --> 00:00:02,000\nCamille : bon\u0000jour\n';
    await expectRefused(upload(strToU8(srt), 'sous-titres.srt'), 422, 'unprocessable', /sous-titres\.srt/);
  });

  it('accepts bytes that are not UTF-8 as Windows-1252, by design (0xC3 0x28 is « Ã( »)', async () => {
    const res = await lead.request(
      'POST',
      `${base}/documents`,
      form(new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0xc3, 0x28]), 'ancien.txt'),
    );
    expect(res.status).toBe(201);
    expect(res.body.documents[0].encoding).toBe('windows-1252');
    const stored = await lead.get(`${base}/documents/${res.body.documents[0].id}`);
    expect(stored.body.text).toBe('Café Ã(');
  });
});

describe('offsets that split a surrogate pair', () => {
  // TEXT ends with 😩😩😩: as UTF-16 it is 3 units longer than in code points, and the offset
  // between the two halves of the last emoji, TEXT.length - 1, lies past its code-point length.
  const length = Array.from(TEXT).length;
  const spans: [string, number, number][] = [
    ['ending inside the last emoji (UTF-16)', 0, TEXT.length - 1],
    ['covering the low half of the last emoji (UTF-16)', TEXT.length - 1, TEXT.length],
  ];
  it.each(spans)('refuses a coding %s with 422 span_out_of_range', async (_what, start, end) => {
    expect(end).toBeGreaterThan(length);
    await expectRefused(
      () => lead.post(`${base}/codings`, { documentId, codeId, start, end }),
      422,
      'span_out_of_range',
      new RegExp(`n'est pas un passage non vide du texte \\(longueur ${length}\\)`),
    );
  });

  it('refuses a .qdpx whose selections split a pair in UTF-16 and overrun the text in code points', async () => {
    // « Bonjour 👋 à tous. »: 17 code points, 18 UTF-16 units, 👋 at units 8-9. [0, 9) splits it
    // in UTF-16; [10, 18) overruns in code points: no unit fits, and the import is refused.
    const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const selection = (n: number, start: number, end: number) =>
      `<PlainTextSelection guid="${guid(n)}" startPosition="${start}" endPosition="${end}">` +
      `<Coding guid="${guid(n + 1)}"><CodeRef targetGUID="${guid(1)}"/></Coding></PlainTextSelection>`;
    const archive = (firstEnd: number) =>
      qdpx(
        `<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="NVivo 14">` +
          `<CodeBook><Codes><Code guid="${guid(1)}" name="Salut" isCodable="true"/></Codes></CodeBook>` +
          `<Sources><TextSource guid="${guid(2)}" name="t" plainTextPath="internal://${guid(2)}.txt">` +
          `${selection(10, 0, firstEnd)}${selection(20, 10, 18)}</TextSource></Sources></Project>`,
        { [`${guid(2)}.txt`]: 'Bonjour 👋 à tous.' },
      );
    await expectRefused(importProject(archive(9)), 422, 'unprocessable', /sort du texte/);
    // The control: ending after the emoji instead of inside it, the same archive is read in UTF-16.
    const imported = await importProject(archive(10))();
    expect(imported.status).toBe(201);
    expect(imported.body.report.sources[0].positionUnit).toBe('utf-16');
  });
});
