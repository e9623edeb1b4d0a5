// The index-building thread's entry point: a worker does not inherit the server's TypeScript
// loader, so tsx is registered for this thread before the worker's sources are loaded (see
// off-thread.ts).
import { register } from 'tsx/esm/api';

register();
await import('./build-worker.ts');
