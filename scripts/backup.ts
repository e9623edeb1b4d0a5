/**
 * `npm run backup [-- <file.zip>]`: back up the data folder (VERBATIM_DATA, default ./data) into
 * one zip (default: <data>/backups/verbatim-<date>.zip). Safe while the server runs: journals are
 * append-only and only their complete lines are copied.
 * `npm run restore -- <file.zip> [<new data folder>]`: restore into a folder that must be empty.
 */
import { join, resolve } from 'node:path';
import { backupName, createBackup, restoreBackup } from '../server/backup.ts';
import { readConfig } from '../server/config.ts';

process.umask(0o077);
const [command, ...args] = process.argv.slice(2);
const config = readConfig();
try {
  if (command === 'backup') {
    const out = resolve(args[0] ?? join(config.dataDir, 'backups', backupName()));
    const count = await createBackup(config.dataDir, out);
    console.info(`Sauvegarde écrite : ${out} (${count} fichiers).`);
  } else if (command === 'restore') {
    if (!args[0]) throw new Error('Usage : npm run restore -- <sauvegarde.zip> [<dossier de données neuf>]');
    const target = resolve(args[1] ?? config.dataDir);
    const count = await restoreBackup(resolve(args[0]), target);
    console.info(
      `Sauvegarde restaurée dans ${target} (${count} fichiers). Démarrez Verbatim avec VERBATIM_DATA=${target}.`,
    );
  } else {
    throw new Error('Usage : backup.ts backup|restore …');
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
