/**
 * Opening a document in the coding view: a 10-coding document in a project that holds few or many
 * other codings. What the server answers (time on localhost, bytes compressed and not) must follow
 * the document, not the project. Also measured, for comparison: the eight requests the coding view
 * made before the document view existed (project, document, codes, every coding, members,
 * settings, participants, history).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { normaliseText } from '../../../shared/text.ts';
import { detectTurns } from '../../../shared/turns.ts';
import { newId, type CodingId, type DocumentId, type ProjectId, type UserId } from '../../../shared/ids.ts';
import type { Coding } from '../../../shared/model.ts';
import { addDocument } from '../../../server/services/documents.ts';
import type { Store } from '../../../server/storage/store.ts';
import { createBenchUsers, generateStudy, writeDataFolder } from '../generate.ts';
import type { Profile } from '../profile.ts';
import { BENCH_DIR, Client, send, startServer } from '../server.ts';
import { median, percentile, round, table, type Table } from '../table.ts';

/** Codings on the document opened. */
const OWN_CODINGS = 10;

/**
 * Add to `projectId` a document with the text of `model` and `OWN_CODINGS` codings on it, written
 * straight into the store. Returns the new document's id.
 */
export async function addSmallCodedDocument(
  store: Store,
  projectId: ProjectId,
  userId: UserId,
  text: string,
  codeIds: readonly string[],
): Promise<DocumentId> {
  const normalised = normaliseText(text);
  const document = await addDocument(store, projectId, userId, 'entretien-ouvert.txt', {
    text: normalised,
    turns: detectTurns(normalised),
    marks: [],
    syncPoints: [],
    format: 'txt',
    encoding: 'utf-8',
  });
  const points = [...normalised];
  const step = Math.max(1, Math.floor((points.length - 40) / OWN_CODINGS));
  const codings: Coding[] = Array.from({ length: OWN_CODINGS }, (_, i) => {
    const start = i * step;
    const end = Math.min(points.length, start + 30);
    return {
      id: newId<CodingId>(),
      documentId: document.id,
      codeId: codeIds[i % codeIds.length] as Coding['codeId'],
      start,
      end,
      text: points.slice(start, end).join(''),
      coderId: userId,
      createdAt: new Date(Date.UTC(2025, 5, 1, 9, 0, i)).toISOString(),
      memo: '',
    };
  });
  await store.changeProject(projectId, userId, () => ({
    events: codings.map((coding) => ({ type: 'coding_created' as const, coding })),
    result: null,
  }));
  return document.id;
}

/** One GET, with or without compression: the time to the last byte and the bytes on the wire. */
const get = (url: string, cookie: string, encoding: 'br' | 'identity') => send(url, { cookie, encoding });

export async function openDocumentBenchmark(profile: Profile): Promise<Table> {
  const t = table('opendoc', 'Opening a 10-coding document, by number of other codings in the project', [
    'Other codings',
    'Requests',
    'n',
    'median ms',
    'p95 ms',
    'KB compressed (br)',
    'KB uncompressed',
  ]);
  t.notes.push(
    'Time from sending the request(s) to the last byte of the answer(s), on localhost, warm server, brotli asked; the answer sizes are the bytes on the wire with and without `Accept-Encoding: br`.',
    '« view » is `GET …/documents/:documentId/view`, which the coding view now reads; « before » is the eight requests it made before (project, document, codes, every coding of the project, members, settings, participants, history), in sequence.',
    'The large project is written straight into the store (generated interviews and codings), as the other benchmarks do.',
  );
  const runs = profile.smoke ? 3 : 30;
  for (const others of profile.smoke ? [100, 2000] : [100, 100_000]) {
    const dataDir = await mkdtemp(join(BENCH_DIR, `opendoc-${others}-`));
    try {
      const opened = await writeDataFolder(dataDir, async (store) => {
        const users = await createBenchUsers(store, 2);
        const interviews = Math.max(1, Math.ceil(others / 200));
        const study = await generateStudy(
          store,
          users,
          { name: `opendoc-${others}`, interviews, wordsPerInterview: 2000, codings: others },
          { seed: 3 },
        );
        const first = study.documents[0] as { id: DocumentId };
        const text = await store.readText(study.projectId, first.id);
        const documentId = await addSmallCodedDocument(
          store,
          study.projectId,
          users.admin,
          text,
          study.childCodes,
        );
        return { projectId: study.projectId, documentId, codings: study.codings };
      });
      const server = await startServer(dataDir);
      try {
        const client = await new Client(server.url).login();
        const base = `${server.url}/api/projects/${opened.projectId}`;
        const routes = {
          view: [`${base}/documents/${opened.documentId}/view`],
          before: [
            base,
            `${base}/documents/${opened.documentId}`,
            `${base}/codes`,
            `${base}/codings`,
            `${base}/members`,
            `${base}/settings`,
            `${base}/participants`,
            `${base}/history`,
          ],
        };
        for (const [name, urls] of Object.entries(routes)) {
          const measure = async (encoding: 'br' | 'identity') => {
            let ms = 0;
            let bytes = 0;
            for (const url of urls) {
              const answer = await get(url, client.cookie, encoding);
              ms += answer.ms;
              bytes += answer.bytes;
            }
            return { ms, bytes };
          };
          for (let i = 0; i < 3; i++) await measure('br');
          const times: number[] = [];
          let compressed = 0;
          for (let i = 0; i < runs; i++) {
            const run = await measure('br');
            times.push(run.ms);
            compressed = run.bytes;
          }
          const plain = (await measure('identity')).bytes;
          t.rows.push([
            opened.codings,
            `${name} (${urls.length})`,
            runs,
            round(median(times)),
            round(percentile(times, 95)),
            round(compressed / 1024),
            round(plain / 1024),
          ]);
        }
      } finally {
        await server.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  return t;
}
