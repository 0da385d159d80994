// Who may talk to the web host: a request must carry the token (in the query
// on the first page load, in a cookie afterwards), come through a Host name
// we serve, and, when it has an Origin, come from our own origin. The
// WebSocket upgrade must have an Origin, and it must be ours.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Cookies are shared by all ports of a host, so the name carries the port: two servers never clobber each other. */
export function cookieName(port: number): string {
  return `modus_token_${port}`;
}

export function sameToken(given: string | undefined | null, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(token, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || address.startsWith('127.');
}

/** How an address appears in a URL (IPv6 in brackets). */
export function urlHost(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}

export interface AccessPolicy {
  token: string;
  port: number;
  /** The address the server is bound to. */
  bindAddress: string;
}

export type AccessVerdict = { ok: true; tokenFromQuery: boolean } | { ok: false; reason: string };

/**
 * Host header check: when bound to loopback only the loopback names are
 * served (defeats DNS rebinding: a page at evil.example resolving to
 * 127.0.0.1 sends Host: evil.example). When bound to another address any
 * Host is accepted; the token is then the only lock.
 */
function hostAllowed(policy: AccessPolicy, hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  if (!isLoopback(policy.bindAddress)) return true;
  return [urlHost(policy.bindAddress), ...LOOPBACK_NAMES].some((name) => hostHeader === `${name}:${policy.port}`);
}

function tokenIn(req: IncomingMessage, policy: AccessPolicy): { ok: boolean; fromQuery: boolean } {
  const query = new URL(req.url ?? '/', 'http://placeholder').searchParams.get('token');
  if (sameToken(query, policy.token)) return { ok: true, fromQuery: true };
  return { ok: sameToken(readCookie(req.headers.cookie, cookieName(policy.port)), policy.token), fromQuery: false };
}

/** Checks a request (HTTP or WebSocket upgrade); `requireOrigin` for the upgrade. */
export function checkAccess(req: IncomingMessage, policy: AccessPolicy, requireOrigin: boolean): AccessVerdict {
  const host = req.headers.host;
  if (!hostAllowed(policy, host)) return { ok: false, reason: `Host ${JSON.stringify(host ?? '')} is not served here` };
  const origin = req.headers.origin;
  if (origin === undefined) {
    if (requireOrigin) return { ok: false, reason: 'no Origin header on a WebSocket request' };
  } else if (origin !== `http://${host}`) {
    return { ok: false, reason: `foreign Origin ${JSON.stringify(origin)}` };
  }
  const token = tokenIn(req, policy);
  if (!token.ok) return { ok: false, reason: 'missing or wrong token' };
  return { ok: true, tokenFromQuery: token.fromQuery };
}
