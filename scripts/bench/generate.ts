/**
 * A realistic synthetic study written straight into a data folder through the store (not over
 * HTTP, so that 500 interviews and 100,000 codings take seconds, not hours): French-like
 * interviews with speaker turns, one participant per interview with attributes, a two-level
 * codebook, and codings spread over the documents by several coders, half of them double-coded.
 */
import { createUser } from '../../server/auth/users.ts';
import type { ProjectEventBody } from '../../shared/events.ts';
import {
  newId,
  type CodeId,
  type CodingId,
  type DocumentId,
  type ParticipantId,
  type ProjectId,
  type UserId,
} from '../../shared/ids.ts';
import type { AttributeDef, Code, Coding, DocumentMeta, Participant, Role } from '../../shared/model.ts';
import { CODE_COLORS } from '../../shared/model.ts';
import { CodePointIndex } from '../../shared/offsets.ts';
import { normaliseText } from '../../shared/text.ts';
import { detectTurns, isInterviewer } from '../../shared/turns.ts';
import { openFileStore } from '../../server/storage/file-store.ts';
import type { Store } from '../../server/storage/store.ts';
import { FIRST_NAMES, LAST_NAMES, generateInterview, interviewText } from './french.ts';
import { Random } from './random.ts';

export interface StudySize {
  readonly name: string;
  readonly interviews: number;
  readonly wordsPerInterview: number;
  readonly codings: number;
}

/** The sizes of the issue: small (30 interviews), large (500, ~4M words, 100k codings), and between. */
export const SIZES: Record<string, StudySize> = {
  small: { name: 'small', interviews: 30, wordsPerInterview: 8000, codings: 6_000 },
  medium: { name: 'medium', interviews: 150, wordsPerInterview: 8000, codings: 30_000 },
  large: { name: 'large', interviews: 500, wordsPerInterview: 8000, codings: 100_000 },
};

/** Tiny sizes for the smoke run: every code path, in seconds. */
export const SMOKE_SIZE: StudySize = { name: 'smoke', interviews: 4, wordsPerInterview: 1200, codings: 300 };

export const BENCH_PASSWORD = 'mot-de-passe-bench';
export const ADMIN_NAME = 'bench-admin';

export interface BenchUsers {
  admin: UserId;
  /** Coder accounts, `codeur-01`…; all are coders of every generated project. */
  coders: UserId[];
  coderNames: string[];
}

/** The administrator (lead of every generated project) and `count` coders, created in the store. */
export async function createBenchUsers(store: Store, count: number): Promise<BenchUsers> {
  const admin = await createUser(store, null, {
    username: ADMIN_NAME,
    password: BENCH_PASSWORD,
    isAdmin: true,
  });
  const coderNames = Array.from({ length: count }, (_, i) => `codeur-${String(i + 1).padStart(2, '0')}`);
  const coders: UserId[] = [];
  for (const username of coderNames) {
    coders.push((await createUser(store, admin.id, { username, password: BENCH_PASSWORD })).id);
  }
  return { admin: admin.id, coders, coderNames };
}

export interface GeneratedStudy {
  projectId: ProjectId;
  documents: { id: DocumentId; length: number; turns: readonly { start: number; end: number }[] }[];
  /** Leaf codes first (where most codings go), then the parents. */
  childCodes: CodeId[];
  parentCodes: CodeId[];
  /** The coders whose codings the study holds; the first two double-code every document. */
  codingCoders: UserId[];
  words: number;
  codings: number;
  characters: number;
}

const STRUCTURES = [
  'Théâtre',
  'Festival',
  'Compagnie',
  'Scène nationale',
  'Opéra',
  'Salle de musiques actuelles',
];
const REGIONS = [
  'Île-de-France',
  'Auvergne-Rhône-Alpes',
  'Occitanie',
  'Bretagne',
  'Grand Est',
  'Hauts-de-France',
  'Nouvelle-Aquitaine',
  'Provence-Alpes-Côte d’Azur',
];

/** The two-level codebook: 8 themes of 5 codes each. */
export const CODEBOOK: readonly { name: string; children: readonly string[] }[] = [
  {
    name: 'Outils',
    children: ['Logiciel de billetterie', 'Tableur', 'Planification', 'Messagerie', 'Outils maison'],
  },
  { name: 'Données', children: ['Ressaisie', 'Export et import', 'Formats', 'Doublons', 'Archivage'] },
  {
    name: 'Charge de travail',
    children: ['Temps perdu', 'Pics de saison', 'Soirées', 'Urgences', 'Délégation'],
  },
  { name: 'Interopérabilité', children: ['Compta', 'Paie', 'Site internet', 'Billetterie et CRM', 'API'] },
  { name: 'Coûts', children: ['Licences', 'Prestataires', 'Matériel', 'Subventions', 'Coûts cachés'] },
  { name: 'Accessibilité', children: ['Public', 'Interfaces', 'Salles', 'Lecteurs d’écran', 'Sous-titrage'] },
  { name: 'RGPD', children: ['Consentement', 'Conservation', 'Droits d’accès', 'Sécurité', 'Fuites'] },
  {
    name: 'Relations',
    children: ['Prestataires', 'Direction', 'Intermittents', 'Bénévoles', 'Collectivités'],
  },
];

/** Append events in batches of about 1,000 (one journal write and fsync each). */
async function appendInBatches(
  store: Store,
  projectId: ProjectId,
  userId: UserId,
  events: readonly ProjectEventBody[],
  batch = 1000,
): Promise<void> {
  for (let i = 0; i < events.length; i += batch) {
    const slice = events.slice(i, i + batch);
    await store.changeProject(projectId, userId, () => ({ events: slice, result: null }));
  }
}

/** A span of a participant's turn, starting and ending at word boundaries, in code points. */
function passage(r: Random, index: CodePointIndex, turn: { start: number; end: number }): [number, number] {
  const text = index.text;
  const turnStart = index.toUtf16(turn.start);
  const turnEnd = index.toUtf16(turn.end);
  let start = turnStart + Math.floor(r.next() * Math.max(1, turnEnd - turnStart - 30));
  while (start > turnStart && text.charCodeAt(start - 1) !== 0x20) start--;
  let end = Math.min(turnEnd, start + r.int(40, 400));
  while (end < turnEnd && text.charCodeAt(end) !== 0x20) end++;
  return [index.toCodePoint(start), index.toCodePoint(end)];
}

/**
 * Generate a study of `size` in `store`, led by `users.admin`, with every coder as member. Codings
 * are made by the first four coders: each document by two of them, the second often coding
 * nearly the same passage with the same code (so that agreement figures mean something).
 */
export async function generateStudy(
  store: Store,
  users: BenchUsers,
  size: StudySize,
  options: { seed: number; name?: string },
): Promise<GeneratedStudy> {
  const r = new Random(options.seed);
  const owner = users.admin;
  const base = Date.parse('2025-01-06T09:00:00Z');
  let clockMs = 0;
  const at = () => new Date(base + (clockMs += 1000)).toISOString();
  const projectId = newId<ProjectId>();
  const members: Record<string, Role> = { [owner]: 'lead' };
  for (const coder of users.coders) members[coder] = 'coder';
  await store.createProject(
    {
      id: projectId,
      name: options.name ?? `Étude ${size.name} (${size.interviews} entretiens)`,
      description: 'Étude synthétique générée pour les mesures de performance.',
      createdAt: at(),
      createdBy: owner,
    },
    members,
    owner,
  );

  const attributes: AttributeDef[] = [
    { name: 'type de structure', type: 'choice', choices: STRUCTURES },
    { name: 'taille', type: 'number', choices: [] },
    { name: 'région', type: 'choice', choices: REGIONS },
  ];
  const setup: ProjectEventBody[] = [{ type: 'attributes_set', before: [], after: attributes }];

  const codes: Code[] = [];
  const parentCodes: CodeId[] = [];
  const childCodes: CodeId[] = [];
  CODEBOOK.forEach((theme, t) => {
    const parent: Code = {
      id: newId<CodeId>(),
      name: theme.name,
      parentId: null,
      color: CODE_COLORS[t % CODE_COLORS.length] as string,
      description: `Thème « ${theme.name} ».`,
      createdAt: at(),
      createdBy: owner,
      version: 1,
    };
    codes.push(parent);
    parentCodes.push(parent.id);
    theme.children.forEach((child, c) => {
      const code: Code = {
        ...parent,
        id: newId<CodeId>(),
        name: child,
        parentId: parent.id,
        color: CODE_COLORS[(t + c + 1) % CODE_COLORS.length] as string,
        description: '',
        createdAt: at(),
      };
      codes.push(code);
      childCodes.push(code.id);
    });
  });
  setup.push(...codes.map((code) => ({ type: 'code_created' as const, code })));

  const names = r.sample(
    FIRST_NAMES.flatMap((first) => LAST_NAMES.map((last) => `${first} ${last}`)),
    size.interviews,
  );
  const documents: GeneratedStudy['documents'] = [];
  const codingCoders = users.coders.slice(0, Math.min(4, users.coders.length));
  const codingEvents: ProjectEventBody[] = [];
  const seen = new Set<string>();
  let words = 0;
  let characters = 0;
  let codingCount = 0;
  const documentEvents: ProjectEventBody[] = [];
  for (let i = 0; i < size.interviews; i++) {
    const name = names[i] as string;
    const structure = r.pick(STRUCTURES);
    const participant: Participant = {
      id: newId<ParticipantId>(),
      name,
      pseudonym: `P${String(i + 1).padStart(3, '0')}`,
      attributes: { 'type de structure': structure, taille: r.int(3, 250), région: r.pick(REGIONS) },
      createdAt: at(),
      createdBy: owner,
    };
    const interview = generateInterview(r, {
      words: size.wordsPerInterview,
      participant: name,
      title: `Entretien n°${i + 1} — ${structure} (${participant.attributes.région})`,
    });
    const text = normaliseText(interviewText(interview));
    const documentId = newId<DocumentId>();
    await store.putText(projectId, documentId, text);
    const index = new CodePointIndex(text);
    const turns = detectTurns(text);
    const meta: DocumentMeta = {
      id: documentId,
      name: `entretien-${String(i + 1).padStart(3, '0')}.txt`,
      length: index.length,
      memo: '',
      createdAt: at(),
      createdBy: owner,
      format: 'txt',
      encoding: 'utf-8',
      turns,
      participantId: participant.id,
    };
    documentEvents.push(
      { type: 'participant_created', participant },
      { type: 'document_added', document: meta },
    );
    documents.push({ id: documentId, length: meta.length, turns });
    words += interview.words;
    characters += meta.length;

    // Codings: this document's share, by two coders.
    const share = Math.floor(size.codings / size.interviews) + (i < size.codings % size.interviews ? 1 : 0);
    const answers = turns.filter((t) => !isInterviewer(t.speaker) && t.end - t.start > 60);
    if (answers.length === 0) continue;
    const first = codingCoders[i % codingCoders.length] as UserId;
    const second = codingCoders[(i + 1) % codingCoders.length] as UserId;
    let previous: Coding | undefined;
    let attempts = 0;
    for (let k = 0; k < share && attempts++ < share * 10; k++) {
      const bySecond = k % 2 === 1;
      let start: number;
      let end: number;
      let codeId: CodeId;
      if (bySecond && previous && r.chance(0.6)) {
        // The second coder saw nearly the same passage, usually with the same code.
        start = Math.max(0, previous.start + r.int(-15, 15));
        end = Math.min(meta.length, Math.max(start + 1, previous.end + r.int(-15, 15)));
        codeId = r.chance(0.8) ? previous.codeId : r.pick(childCodes);
      } else {
        [start, end] = passage(r, index, r.pick(answers));
        codeId = r.chance(0.85) ? r.pick(childCodes) : r.pick(parentCodes);
      }
      const coderId = bySecond ? second : first;
      const key = `${documentId} ${codeId} ${coderId} ${start} ${end}`;
      if (end <= start || seen.has(key)) {
        k--;
        continue;
      }
      seen.add(key);
      const coding: Coding = {
        id: newId<CodingId>(),
        documentId,
        codeId,
        start,
        end,
        text: index.slice(start, end),
        coderId,
        createdAt: at(),
        memo: r.chance(0.02) ? 'À relire avec l’équipe.' : '',
      };
      codingEvents.push({ type: 'coding_created', coding });
      codingCount++;
      previous = bySecond ? undefined : coding;
    }
  }
  await appendInBatches(store, projectId, owner, [...setup, ...documentEvents]);
  await appendInBatches(store, projectId, owner, codingEvents);
  return {
    projectId,
    documents,
    childCodes,
    parentCodes,
    codingCoders,
    words,
    codings: codingCount,
    characters,
  };
}

/**
 * Fill the data folder `dir` with `build`, then leave it as a running server would: with a
 * snapshot of each project. While generating, snapshots are turned off (one per 1,000 events of a
 * 100,000-coding project would rewrite it a hundred times); a second opening with the default
 * setting appends one no-op settings change per project, which writes the snapshot.
 */
export async function writeDataFolder<T>(dir: string, build: (store: Store) => Promise<T>): Promise<T> {
  const generating = await openFileStore(dir, { snapshotEvery: Number.MAX_SAFE_INTEGER });
  let result: T;
  try {
    result = await build(generating);
  } finally {
    await generating.close();
  }
  const store = await openFileStore(dir, { snapshotEvery: 1 });
  try {
    for (const state of await store.listProjects()) {
      const lead = Object.entries(state.members).find(([, role]) => role === 'lead')?.[0] as UserId;
      await store.changeProject(state.project.id, lead, (s) => ({
        events: [{ type: 'settings_updated', before: s.settings, after: s.settings }],
        result: null,
      }));
    }
  } finally {
    await store.close();
  }
  return result;
}

/** The quote-report workload: one transcript, its codes, and the code quoted most. */
export interface QuoteWorkload {
  projectId: ProjectId;
  codes: CodeId[];
  /** The code holding `oneCodeQuotes` passages (the « one code » report). */
  busiestCode: CodeId;
  oneCodeQuotes: number;
  quotes: number;
}

/**
 * The workload of the comparison with Taguette: one 10,000-word French transcript, 12
 * codes, 1,336 codings of whole sentences of the participant's answers, 334 of them with the first
 * code and the others spread over the 11 others; within a code, no two codings share a sentence,
 * so each coding is one quote of the report.
 */
export async function generateQuoteWorkload(
  store: Store,
  users: BenchUsers,
  options: { seed: number; words?: number; codes?: number; oneCode?: number; codings?: number },
): Promise<QuoteWorkload> {
  const r = new Random(options.seed);
  const [words, codeCount, oneCode, total] = [
    options.words ?? 10_000,
    options.codes ?? 12,
    options.oneCode ?? 334,
    options.codings ?? 1_336,
  ];
  const owner = users.admin;
  const base = Date.parse('2025-02-03T09:00:00Z');
  let clockMs = 0;
  const at = () => new Date(base + (clockMs += 1000)).toISOString();
  const projectId = newId<ProjectId>();
  await store.createProject(
    {
      id: projectId,
      name: `Rapport de citations (${words.toLocaleString('fr-FR')} mots, ${codeCount} codes)`,
      description: 'Un entretien, pour mesurer le rapport DOCX selon le nombre de citations.',
      createdAt: at(),
      createdBy: owner,
    },
    { [owner]: 'lead' },
    owner,
  );
  const text = normaliseText(
    interviewText(generateInterview(r, { words, participant: 'Camille Martin', title: 'Entretien n°1' })),
  );
  const documentId = newId<DocumentId>();
  await store.putText(projectId, documentId, text);
  const index = new CodePointIndex(text);
  const turns = detectTurns(text);
  // The sentences of the participant's answers, in code points.
  const sentences: { start: number; end: number }[] = [];
  for (const turn of turns) {
    if (isInterviewer(turn.speaker)) continue;
    const body = index.slice(turn.start, turn.end);
    for (const m of body.matchAll(/[^.!?…]+[.!?…]+/gu)) {
      const before = [...body.slice(0, m.index)].length;
      const trimmed = m[0].trimStart();
      const start = turn.start + before + ([...m[0]].length - [...trimmed].length);
      const end = turn.start + before + [...m[0]].length;
      if (end - start > 20) sentences.push({ start, end });
    }
  }
  if (sentences.length < oneCode) {
    throw new Error(`generateQuoteWorkload: ${sentences.length} sentences, fewer than ${oneCode}`);
  }
  const codes: Code[] = Array.from({ length: codeCount }, (_, i) => ({
    id: newId<CodeId>(),
    name: `Thème ${String(i + 1).padStart(2, '0')}`,
    parentId: null,
    color: CODE_COLORS[i % CODE_COLORS.length] as string,
    description: '',
    createdAt: at(),
    createdBy: owner,
    version: 1,
  }));
  const meta: DocumentMeta = {
    id: documentId,
    name: 'entretien-001.txt',
    length: index.length,
    memo: '',
    createdAt: at(),
    createdBy: owner,
    format: 'txt',
    encoding: 'utf-8',
    turns,
    participantId: null,
  };
  const events: ProjectEventBody[] = [
    ...codes.map((code) => ({ type: 'code_created' as const, code })),
    { type: 'document_added', document: meta },
  ];
  const others = codes.length - 1;
  codes.forEach((code, i) => {
    const share =
      i === 0
        ? oneCode
        : Math.floor((total - oneCode) / others) + (i - 1 < (total - oneCode) % others ? 1 : 0);
    for (const s of r.sample(sentences, share)) {
      events.push({
        type: 'coding_created',
        coding: {
          id: newId<CodingId>(),
          documentId,
          codeId: code.id,
          start: s.start,
          end: s.end,
          text: index.slice(s.start, s.end),
          coderId: owner,
          createdAt: at(),
          memo: '',
        },
      });
    }
  });
  await appendInBatches(store, projectId, owner, events);
  return {
    projectId,
    codes: codes.map((c) => c.id),
    busiestCode: (codes[0] as Code).id,
    oneCodeQuotes: oneCode,
    quotes: total,
  };
}
