// The environment a Verbatim server process starts with: the caller's, and on Linux glibc's
// MALLOC_MMAP_THRESHOLD_ at 128 KiB unless it is already set (docs/deployment.md, « Memory »).
// glibc otherwise raises that threshold each time a large buffer (an upload, an archive, a report)
// is freed, and then keeps the memory of later buffers below it: in the large benchmark run, the
// resident peak went from 979 to 891 MiB with the setting. It must be in the environment when the
// process starts (glibc reads it before Node runs), so `npm start` (scripts/start.mjs) and the
// processes the benchmark and the tests start (scripts/lib/server-process.ts) all come through here.

/** glibc's threshold, in bytes: its own starting value, which it then no longer raises. */
export const MMAP_THRESHOLD = '131072';

/**
 * `env` with MALLOC_MMAP_THRESHOLD_ added on Linux when absent (a value already set is kept).
 * Other systems' allocators do not read it.
 * @param {NodeJS.ProcessEnv} env
 * @param {NodeJS.Platform} [platform]
 * @returns {NodeJS.ProcessEnv}
 */
export function serverEnvironment(env, platform = process.platform) {
  if (platform !== 'linux' || env.MALLOC_MMAP_THRESHOLD_ !== undefined) return env;
  return { ...env, MALLOC_MMAP_THRESHOLD_: MMAP_THRESHOLD };
}
