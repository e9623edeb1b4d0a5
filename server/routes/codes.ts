import { Hono } from 'hono';
import type { z } from 'zod';
import { assertRole } from '../../shared/access.ts';
import { assertUniqueSiblingName, assertValidParent, subtreeIds } from '../../shared/codebook.ts';
import { codingCountsByCode, codingsOfCodes } from '../../shared/coding-index.ts';
import { codebookRows, planCodebookImport } from '../../shared/codebook-import.ts';
import { toCsv } from '../export/csv.ts';
import { attachment } from '../http/attachment.ts';
import { parseCsvTable } from '../import/csv-table.ts';
import { importQdcCodebook } from '../refi/import-codebook.ts';
import { DomainError } from '../../shared/errors.ts';
import type { ProjectEventBody } from '../../shared/events.ts';
import { newId, type CodeId, type UserId } from '../../shared/ids.ts';
import { CODE_COLORS, type Code, type ProjectState } from '../../shared/model.ts';
import { CodePatch, MergeInput, NewCode, type NewCodeInput } from '../../shared/schemas.ts';
import { planMerge } from '../../shared/merge.ts';
import { requireUser } from '../auth/sessions.ts';
import { idParam, projectFor } from '../http/access.ts';
import { uploadedFile } from '../http/multipart.ts';
import { uploadSlots } from '../http/upload-slots.ts';
import type { Env } from '../http/env.ts';
import { validate } from '../http/validate.ts';
import type { Change, Store } from '../storage/store.ts';

function getCode(state: Readonly<ProjectState>, codeId: CodeId): Code {
  const code = state.codes[codeId];
  if (!code) throw new DomainError('not_found', 'Code introuvable.', { codeId });
  return code;
}

export function codeRoutes(store: Store, options: { maxUploadBytes: number }) {
  return (
    new Hono<Env>()
      .use(requireUser(store))
      .get('/', async (c) => {
        const { state } = await projectFor(c, store, 'viewer');
        const counts = codingCountsByCode(state);
        const codes = Object.values(state.codes).map((code) => ({
          ...code,
          codings: counts.get(code.id) ?? 0,
        }));
        return c.json({ codes }, 200);
      })
      .post('/', validate('json', NewCode), async (c) => {
        const { id } = await projectFor(c, store, 'coder');
        const input = c.req.valid('json');
        const userId = c.get('user').id;
        const code = await store.changeProject(id, userId, (s) => createCode(s, userId, input));
        return c.json({ ...code, codings: 0 }, 201);
      })
      .get('/export.csv', async (c) => {
        const { state } = await projectFor(c, store, 'viewer');
        c.header('Content-Type', 'text/csv; charset=utf-8');
        c.header('Content-Disposition', attachment('codebook', 'csv'));
        return c.body(toCsv(codebookRows(state.codes), ','), 200);
      })
      .post('/import', uploadSlots.guard, async (c) => {
        const { id } = await projectFor(c, store, 'lead');
        const userId = c.get('user').id;
        const file = await uploadedFile(
          c,
          'Envoyez le codebook comme fichier (multipart, champ « file »).',
          options.maxUploadBytes,
        );
        if (/\.qdc$/i.test(file.name)) {
          return c.json(await importQdcCodebook(store, id, userId, file.name, file.bytes), 200);
        }
        if (!/\.(csv|tsv|txt)$/i.test(file.name)) {
          throw new DomainError(
            'unsupported_media_type',
            `« ${file.name} » : un codebook .csv ou REFI-QDA .qdc est attendu.`,
          );
        }
        const { header, rows } = parseCsvTable(file.name, file.bytes, { minColumns: 1 });
        const now = new Date().toISOString();
        const report = await store.changeProject(id, userId, (s) =>
          importCodebook(s, userId, { fileName: file.name, header, rows, now }),
        );
        return c.json(report, 200);
      })
      .patch('/:codeId', validate('json', CodePatch), async (c) => {
        const { id } = await projectFor(c, store, 'lead');
        const codeId = idParam<CodeId>(c, 'codeId', 'Code');
        const input = c.req.valid('json');
        const userId = c.get('user').id;
        const { code, codings } = await store.changeProject(id, userId, (s) =>
          updateCode(s, userId, codeId, input),
        );
        return c.json({ ...code, codings }, 200);
      })
      /** Merge this code into another: its codings and sub-codes move there; it disappears. */
      .post('/:codeId/merge', validate('json', MergeInput), async (c) => {
        const { id } = await projectFor(c, store, 'lead');
        const codeId = idParam<CodeId>(c, 'codeId', 'Code');
        const targetId = c.req.valid('json').targetId as CodeId;
        const userId = c.get('user').id;
        const result = await store.changeProject(id, userId, (s) => mergeCode(s, userId, codeId, targetId));
        return c.json({ merged: result }, 200);
      })
      .delete('/:codeId', async (c) => {
        const { id } = await projectFor(c, store, 'lead');
        const codeId = idParam<CodeId>(c, 'codeId', 'Code');
        const userId = c.get('user').id;
        const removed = await store.changeProject(id, userId, (s) => deleteCode(s, userId, codeId));
        return c.json({ deleted: removed }, 200);
      })
  );
}

// ---- decisions: each runs synchronously against the project's state (store.changeProject) -------

/** A new code, coloured with the palette's next colour unless the request names one. */
function createCode(
  s: Readonly<ProjectState>,
  userId: UserId,
  input: NewCodeInput,
): Change<ProjectEventBody, Code> {
  assertRole(s, userId, 'coder');
  const parentId = (input.parentId ?? null) as CodeId | null;
  assertValidParent(s.codes, null, parentId);
  assertUniqueSiblingName(s.codes, input.name, parentId, null);
  const created: Code = {
    id: newId<CodeId>(),
    name: input.name,
    parentId,
    color: (
      input.color ??
      CODE_COLORS[Object.keys(s.codes).length % CODE_COLORS.length] ??
      '#4363d8'
    ).toLowerCase(),
    description: input.description ?? '',
    createdAt: new Date().toISOString(),
    createdBy: userId,
    version: 1,
  };
  return { events: [{ type: 'code_created', code: created }], result: created };
}

/** The codes of a CSV codebook; refused whole when not one line of it could be read. */
function importCodebook(
  s: Readonly<ProjectState>,
  userId: UserId,
  table: { fileName: string; header: readonly string[]; rows: readonly (readonly string[])[]; now: string },
) {
  assertRole(s, userId, 'lead');
  const plan = planCodebookImport(s, table.header, table.rows, userId, table.now);
  if (plan.report.created === 0 && plan.report.existing === 0 && plan.report.errors.length > 0) {
    const first = plan.report.errors[0];
    throw new DomainError(
      'unprocessable',
      `« ${table.fileName} » : ${first?.message ?? 'aucun code lisible.'}`,
      {
        errors: plan.report.errors,
      },
    );
  }
  return { events: plan.events, result: plan.report };
}

/** A code renamed, moved, recoloured or redescribed; `conflict` if changed since `version`. */
function updateCode(
  s: Readonly<ProjectState>,
  userId: UserId,
  codeId: CodeId,
  input: z.infer<typeof CodePatch>,
) {
  assertRole(s, userId, 'lead');
  const before = getCode(s, codeId);
  if (input.version !== undefined && input.version !== before.version) {
    throw new DomainError(
      'conflict',
      "Ce code a été modifié par quelqu'un d'autre entre-temps ; rechargez-le avant de l'enregistrer.",
      { current: before },
    );
  }
  const parentId = input.parentId === undefined ? before.parentId : (input.parentId as CodeId | null);
  const name = input.name ?? before.name;
  if (parentId !== before.parentId) assertValidParent(s.codes, codeId, parentId);
  if (parentId !== before.parentId || name !== before.name)
    assertUniqueSiblingName(s.codes, name, parentId, codeId);
  const after: Code = {
    ...before,
    name,
    parentId,
    color: (input.color ?? before.color).toLowerCase(),
    description: input.description ?? before.description,
    version: before.version + 1,
  };
  const events: ProjectEventBody[] = [{ type: 'code_updated', before, after }];
  return { events, result: { code: after, codings: codingCountsByCode(s).get(after.id) ?? 0 } };
}

/** Merge a code into another, with what moved, collapsed into an existing coding, or was re-parented. */
function mergeCode(s: Readonly<ProjectState>, userId: UserId, codeId: CodeId, targetId: CodeId) {
  assertRole(s, userId, 'lead');
  const events = planMerge(s, codeId, targetId);
  return {
    events,
    result: {
      moved: events.filter((e) => e.type === 'coding_updated' && e.before.codeId === codeId).length,
      collapsed: events.filter((e) => e.type === 'coding_deleted').length,
      children: events.filter((e) => e.type === 'code_updated').length,
    },
  };
}

/** A code deleted with its sub-codes and every coding of them. */
function deleteCode(s: Readonly<ProjectState>, userId: UserId, codeId: CodeId) {
  assertRole(s, userId, 'lead');
  getCode(s, codeId);
  const ids = subtreeIds(s.codes, codeId);
  const codes = ids.map((i) => s.codes[i] as Code);
  const codings = codingsOfCodes(s, ids);
  const events: ProjectEventBody[] = [{ type: 'codes_deleted', codes, codings }];
  return { events, result: { codes: codes.length, codings: codings.length } };
}
