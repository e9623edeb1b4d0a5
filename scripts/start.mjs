// `npm start`, once the client is built: the server (server/main.ts) in a process of its own,
// started with the environment of scripts/lib/server-environment.mjs, which glibc must find when
// the process starts. SIGINT and SIGTERM are passed on to the server, which stops after the
// writes under way (a terminal's Ctrl-C reaches both processes; the server heeds the first), and
// this process ends as the server did.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { serverEnvironment } from './lib/server-environment.mjs';

const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
  stdio: 'inherit',
  env: serverEnvironment(process.env),
});
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => server.kill(signal));
}
server.on('error', (error) => {
  console.error(`Le serveur n'a pas pu être lancé : ${error.message}`);
  process.exitCode = 1;
});
server.on('exit', (code, signal) => {
  process.exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
});
