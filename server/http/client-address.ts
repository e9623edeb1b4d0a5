import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The address of the client, for throttling. Behind a reverse proxy every request comes from the
 * proxy's address: with `trustProxy` (VERBATIM_TRUST_PROXY), the client is the last address of
 * `X-Forwarded-For`, the one our proxy appended (earlier ones are whatever the client sent).
 * Without it, the header is ignored: anyone could write it.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = (c.req.header('x-forwarded-for') ?? '').split(',').map((a) => a.trim());
    const last = forwarded[forwarded.length - 1];
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'inconnue';
  } catch {
    return 'inconnue'; // Not served by Node (app.request in tests): one bucket.
  }
}

/** Whether the request reached the proxy over HTTPS (trusted only with VERBATIM_TRUST_PROXY). */
export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  if (!trustProxy) return false;
  const proto = (c.req.header('x-forwarded-proto') ?? '').split(',').pop()?.trim().toLowerCase();
  return proto === 'https';
}
