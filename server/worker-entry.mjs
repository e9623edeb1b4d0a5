// The entry point of Verbatim's worker threads (worker-thread.ts): a worker does not inherit the
// server's TypeScript loader, so tsx is registered for this thread before the module it runs, named
// by `workerData.module`, is loaded.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
