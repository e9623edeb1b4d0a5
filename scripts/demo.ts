/**
 * `npm run demo`: create the « Étude démo » project in the data folder (VERBATIM_DATA, default
 * ./data), owned by the administrator. The server must be stopped (it holds the folder's lock);
 * while it runs, use the « Étude démo » button of the project list instead.
 */
import { createUser } from '../server/auth/users.ts';
import { readConfig } from '../server/config.ts';
import { createDemoProject } from '../server/services/demo.ts';
import { StorageCorruptError } from '../server/storage/durable-file.ts';
import { openFileStore } from '../server/storage/file-store.ts';
import { DataFolderLockedError } from '../server/storage/lock.ts';

process.umask(0o077);
const config = readConfig();
let store;
try {
  store = await openFileStore(config.dataDir);
} catch (error) {
  if (error instanceof DataFolderLockedError) {
    console.error(
      `${error.message}\nLe serveur tourne : utilisez plutôt le bouton « Étude démo » de la liste des projets.`,
    );
    process.exit(1);
  }
  if (error instanceof StorageCorruptError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
try {
  const users = Object.values((await store.readInstance()).users);
  let owner = users.find((u) => u.isAdmin);
  if (!owner && config.admin) owner = await createUser(store, null, { ...config.admin, isAdmin: true });
  if (!owner) {
    console.error(
      "Aucun compte n'existe encore : lancez « npm start » et créez le compte administrateur, ou définissez VERBATIM_ADMIN_USER et VERBATIM_ADMIN_PASSWORD.",
    );
    process.exitCode = 1;
  } else {
    const project = await createDemoProject(store, owner.id);
    console.info(
      `Projet « ${project.project.name} » créé pour ${owner.username} : ${Object.keys(project.documents).length} entretiens, ${Object.keys(project.codes).length} codes, ${Object.keys(project.participants).length} participants.`,
    );
  }
} finally {
  await store.close();
}
