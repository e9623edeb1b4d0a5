/**
 * `npm run audit`: the production dependencies must have no high or critical advisory
 * (`npm audit --omit=dev`). When the registry does not serve audits (some mirrors answer 405),
 * says so plainly and exits 0: nothing could be checked, and nothing is claimed.
 */
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error(`npm audit n'a pas répondu en JSON :\n${run.stdout}${run.stderr}`);
  process.exit(1);
}
if (report.statusCode !== undefined || report.error !== undefined) {
  const why = report.statusCode ? `HTTP ${report.statusCode}` : (report.error?.summary ?? 'erreur');
  console.warn(
    `Audit impossible : le registre npm ne sert pas les avis de sécurité (${why}). Rien n'a été vérifié.`,
  );
  process.exit(0);
}
const counts = report.metadata?.vulnerabilities ?? {};
const serious = (counts.high ?? 0) + (counts.critical ?? 0);
console.info(
  `Dépendances de production : ${counts.critical ?? 0} critique(s), ${counts.high ?? 0} élevée(s), ${counts.moderate ?? 0} modérée(s), ${counts.low ?? 0} faible(s).`,
);
if (serious > 0) {
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
    if (v.severity === 'high' || v.severity === 'critical')
      console.error(`- ${name} (${v.severity}) : ${v.range}`);
  }
  process.exit(1);
}
