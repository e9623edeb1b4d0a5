/**
 * `npm run migrate -- [--repair] --from <data folder | postgres://…> --to <postgres://… | new data folder>`:
 * copy a Verbatim instance between the embedded store and PostgreSQL, either way. The source is
 * only read (stop its server first); the target must be empty, and is left empty if the copy
 * fails. Counts and a SHA-256 of the instance and of every project are compared after the copy and
 * printed; any difference makes the command fail. Text PostgreSQL cannot store (NUL, lone
 * surrogate) stops the copy with the project, event and field named; `--repair` replaces each such
 * character by U+FFFD in the copy and lists where.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { describeTally, isPostgresUrl, transfer } from '../server/storage/pg-transfer.ts';

process.umask(0o077);
const usage =
  'Usage : npm run migrate -- [--repair] --from <dossier | postgres://…> --to <postgres://… | dossier neuf>';

try {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, to: { type: 'string' }, repair: { type: 'boolean' } },
  });
  if (!values.from || !values.to) throw new Error(usage);
  const from = isPostgresUrl(values.from) ? values.from : resolve(values.from);
  const to = isPostgresUrl(values.to) ? values.to : resolve(values.to);
  const report = await transfer(from, to, { repair: values.repair ?? false });
  for (const line of report.repairs) console.info(`Réparé (caractères remplacés par U+FFFD) : ${line}`);
  for (const tally of report.source) console.info(`${tally.name} : ${describeTally(tally)}`);
  if (report.differences.length > 0) {
    console.error('La copie diffère de la source :');
    for (const line of report.differences) console.error(`  ${line}`);
    process.exitCode = 1;
  } else {
    console.info(
      `Copie vérifiée : ${report.source.length - 1} projet(s) et l'instance, identiques dans la source et la cible.`,
    );
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
