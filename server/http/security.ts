import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { DomainError } from '../../shared/errors.ts';

/** Security headers on every response, with a Content-Security-Policy that allows only our own files. */
export const securityHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  crossOriginEmbedderPolicy: false,
  referrerPolicy: 'same-origin',
});

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuse state-changing requests from other sites: an `Origin` that is not this host, a browser's
 * `Sec-Fetch-Site: cross-site`, and bodies of the types an HTML form can send without JavaScript
 * (only JSON and multipart uploads are accepted).
 */
export const refuseCrossSite: MiddlewareHandler = async (c, next) => {
  if (SAFE_METHODS.has(c.req.method)) return next();
  const origin = c.req.header('origin');
  const host = c.req.header('host');
  if (origin !== undefined) {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (originHost === undefined || originHost !== host) {
      throw new DomainError('cross_site', 'Requête refusée : elle vient d’un autre site.');
    }
  }
  if (c.req.header('sec-fetch-site') === 'cross-site') {
    throw new DomainError('cross_site', 'Requête refusée : elle vient d’un autre site.');
  }
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const hasBody = c.req.header('content-length') !== undefined && c.req.header('content-length') !== '0';
  if ((hasBody || type !== '') && type !== 'application/json' && type !== 'multipart/form-data') {
    throw new DomainError(
      'unsupported_media_type',
      'Le corps de la requête doit être du JSON (application/json).',
    );
  }
  return next();
};
