/**
 * Validation schemas shared by the server (at the edge of every route) and the client (forms).
 * Objects are strict: an unknown field is an error, not something silently dropped.
 */
import { z } from 'zod';
import { hasInvisible, isSingleScript } from './identity.ts';
import { ROLES } from './model.ts';
import { describeUnsafe, findUnsafeCharacter } from './safe-text.ts';

/** A text (of up to `max` characters) that either store can hold: see shared/safe-text.ts. */
const text = (max?: number) =>
  (max === undefined ? z.string() : z.string().max(max)).superRefine((value, ctx) => {
    const found = findUnsafeCharacter(value, 'text');
    if (found)
      ctx.addIssue({ code: 'custom', message: `Ce champ ${describeUnsafe(found)}`, params: { ...found } });
  });
/** Words shown on one line (a name, a value), without control or invisible characters. */
const oneLine = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((value, ctx) => {
      const found = findUnsafeCharacter(value, 'name');
      if (found) {
        ctx.addIssue({ code: 'custom', message: `Ce champ ${describeUnsafe(found)}`, params: { ...found } });
      }
    });
/** A name: trimmed, required, on one line, without invisible characters. */
const name = (max: number) => z.string().trim().min(1, 'Ce champ est obligatoire.').pipe(oneLine(max));
const id = z.uuid({ message: 'Identifiant invalide.' });
const offset = z.number().int('Les positions doivent être des nombres entiers.').min(0);

export const Username = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[\p{L}\p{N}._@-]+$/u, "L'identifiant ne peut contenir que des lettres, chiffres et . _ @ -")
  .refine(
    isSingleScript,
    "L'identifiant mélange des alphabets (latin et cyrillique, par exemple) : écrivez-le dans un seul.",
  );
/** The name shown to the team: nothing invisible in it, so it cannot pass for someone else's. */
export const DisplayName = name(120).refine(
  (value) => !hasInvisible(value),
  'Le nom affiché contient un caractère invisible (espace sans largeur, marque de direction…).',
);
export const Password = z.string().min(8, 'Le mot de passe doit compter au moins 8 caractères.').max(256);

export const Credentials = z.strictObject({ username: Username, password: Password });
export const LoginInput = z.strictObject({ username: z.string().max(64), password: z.string().max(256) });
export const PasswordChange = z.strictObject({ currentPassword: z.string().max(256), newPassword: Password });
export const NewUser = z.strictObject({
  username: Username,
  password: Password,
  displayName: DisplayName.optional(),
  isAdmin: z.boolean().optional(),
});
/** What an administrator may change in an account (`PATCH /api/users/:userId`). */
export const UserPatch = z
  .strictObject({
    displayName: DisplayName.optional(),
    isAdmin: z.boolean().optional(),
    disabled: z.boolean().optional(),
  })
  .refine(
    (p) => p.displayName !== undefined || p.isAdmin !== undefined || p.disabled !== undefined,
    'Rien à modifier.',
  );
/** A new password set by an administrator (`POST /api/users/:userId/password`). */
export const PasswordReset = z.strictObject({ password: Password });

export const NewProject = z.strictObject({ name: name(200), description: text(5000).optional() });
export const ProjectPatch = z
  .strictObject({ name: name(200).optional(), description: text(5000).optional() })
  .refine((p) => p.name !== undefined || p.description !== undefined, 'Rien à modifier.');

export const MemberInput = z.strictObject({ role: z.enum(ROLES as ['lead', 'coder', 'viewer']) });

export const NewDocument = z.strictObject({ name: name(255), text: text() });
/** Erasure (withdrawal of consent): `confirm` must be the exact name of what is erased. */
export const ErasureInput = z.strictObject({ confirm: z.string().max(1000) });

export const DocumentPatch = z
  .strictObject({
    name: name(255).optional(),
    memo: text(100_000).optional(),
    /** The memo as the client last saw it: if it has changed since, the save is refused (409). */
    memoBefore: z.string().max(100_000).optional(),
    participantId: id.nullable().optional(),
  })
  .refine(
    (p) => p.name !== undefined || p.memo !== undefined || p.participantId !== undefined,
    'Rien à modifier.',
  );

/** A day, `AAAA-MM-JJ`, that exists in the calendar. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Date attendue au format AAAA-MM-JJ.')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'Cette date n’existe pas.',
  );

/** A new entry of the project's journal; its date is today's when not given. */
export const NewJournalEntry = z.strictObject({
  date: day.optional(),
  title: name(200),
  text: text(100_000).default(''),
});
export const JournalEntryPatch = z
  .strictObject({
    date: day.optional(),
    title: name(200).optional(),
    text: text(100_000).optional(),
    /** The text as the client last saw it: if it has changed since, the save is refused (409). */
    textBefore: z.string().max(100_000).optional(),
  })
  .refine((p) => p.date !== undefined || p.title !== undefined || p.text !== undefined, {
    message: 'Rien à modifier : indiquez date, title ou text.',
  });

export const Color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Couleur attendue au format #rrggbb.');
export const NewCode = z.strictObject({
  name: name(200),
  parentId: id.nullable().optional(),
  color: Color.optional(),
  description: text(20_000).optional(),
});
export const CodePatch = z
  .strictObject({
    name: name(200).optional(),
    parentId: id.nullable().optional(),
    color: Color.optional(),
    description: text(20_000).optional(),
    /** The version the client edited; a stale one is refused with 409. */
    version: z.number().int().min(1).optional(),
  })
  .refine(
    (p) =>
      p.name !== undefined ||
      p.parentId !== undefined ||
      p.color !== undefined ||
      p.description !== undefined,
    'Rien à modifier.',
  );

export const NewCoding = z.strictObject({
  documentId: id,
  codeId: id,
  start: offset,
  end: offset,
  memo: text(100_000).optional(),
});
export const CodingPatch = z
  .strictObject({
    codeId: id.optional(),
    start: offset.optional(),
    end: offset.optional(),
    memo: text(100_000).optional(),
    /** The memo as the client last saw it: if it has changed since, the save is refused (409). */
    memoBefore: z.string().max(100_000).optional(),
  })
  .refine(
    (p) => p.codeId !== undefined || p.start !== undefined || p.end !== undefined || p.memo !== undefined,
    'Rien à modifier.',
  );
export type NewCodeInput = z.infer<typeof NewCode>;
export type NewCodingInput = z.infer<typeof NewCoding>;

const attributeValue = z.union([oneLine(1000), z.number()]);
/**
 * Values by attribute name. Unlike `z.record`, which drops a key `__proto__`, every name is kept,
 * in an object without prototype: `__proto__` or `constructor` are names like any other.
 */
export function valuesByName<V extends z.ZodType>(value: V) {
  return z
    .custom<Record<string, z.input<V>>>(
      (input) => typeof input === 'object' && input !== null && !Array.isArray(input),
      'Objet attendu : {"nom de l’attribut": valeur}.',
    )
    .transform((input, ctx) => {
      const out = Object.create(null) as Record<string, z.output<V>>;
      for (const key of Object.keys(input)) {
        const parsedKey = name(200).safeParse(key);
        const parsedValue = value.safeParse(input[key]);
        if (!parsedKey.success) {
          for (const issue of parsedKey.error.issues) ctx.addIssue({ ...issue, path: [key] });
        } else if (!parsedValue.success) {
          for (const issue of parsedValue.error.issues)
            ctx.addIssue({ ...issue, path: [key, ...issue.path] });
        } else out[parsedKey.data] = parsedValue.data;
      }
      return out;
    });
}
export const NewParticipant = z.strictObject({
  name: name(200),
  pseudonym: z.string().trim().pipe(oneLine(100)).optional(),
  attributes: valuesByName(attributeValue).optional(),
});
export const ParticipantPatch = z
  .strictObject({
    name: name(200).optional(),
    pseudonym: z.string().trim().pipe(oneLine(100)).optional(),
    /** Values to set; `null` removes a value. Attributes not named keep their value. */
    attributes: valuesByName(attributeValue.nullable()).optional(),
  })
  .refine(
    (p) => p.name !== undefined || p.pseudonym !== undefined || p.attributes !== undefined,
    'Rien à modifier.',
  );
export const AttributeDefsInput = z.strictObject({
  attributes: z
    .array(
      z.strictObject({
        name: name(200),
        type: z.enum(['text', 'number', 'date', 'choice']),
        choices: z.array(name(200)).max(200).optional(),
        /** Whether pseudonymised exports may cite its values (unset: only shared values). */
        publish: z.boolean().optional(),
        /** When renaming: the attribute's current name, so its values carry over. */
        previousName: name(200).optional(),
      }),
    )
    .max(100),
});
export const SettingsPatch = z.strictObject({
  interviewerLabels: z.array(name(100)).max(100),
});

export const MergeInput = z.strictObject({ targetId: id });
export const MoveCodingsInput = z.strictObject({ codingIds: z.array(id).min(1).max(10_000), codeId: id });

/** The replacement list for pseudonymised exports, replaced as a whole (`PUT …/replacements`). */
export const ReplacementsInput = z.strictObject({
  replacements: z
    .array(
      z.strictObject({
        from: name(200),
        to: name(200),
        kind: z.enum(['person', 'place', 'organisation', 'other']).optional(),
      }),
    )
    .max(5000, 'Au plus 5 000 remplacements.'),
});

export const ConsensusInput = z.strictObject({ codingId: id });

/** A table to be written as a spreadsheet: a title, then rows (the first is the header). */
export const TableInput = z.strictObject({
  title: name(200),
  rows: z
    .array(z.array(z.union([text(100_000), z.number(), z.null()])).max(500))
    .min(1)
    .max(50_000),
  /** Names replaced (the default); `false` is for leads only and is recorded in the log. */
  pseudonymise: z.boolean().optional(),
});
