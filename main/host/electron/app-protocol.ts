// The app:// scheme: the UI (dist/renderer) is served from here, never from
// file://, so the page cannot read the disk and gets a real origin with a CSP.
//
// serveAppRequest is plain fetch-API code (Request in, Response out) with no
// Electron in it, so the unit tests drive it with real files in Node.

import type { Protocol } from 'electron';
import { readFile, realpath, stat } from 'node:fs/promises';
import { relative, isAbsolute, sep } from 'node:path';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, mimeTypeFor, resolveAppUrl } from './security.js';

/** Headers on every app:// response, errors included. */
function baseHeaders(contentType: string): Headers {
  return new Headers({
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });
}

function refuse(status: number, text: string): Response {
  return new Response(`${status} ${text}\n`, { status, headers: baseHeaders('text/plain; charset=utf-8') });
}

function isInside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/**
 * Answers one app:// request from the files under `rootDir`.
 * 405 for anything but GET/HEAD, 403 for URLs that try to leave the root
 * (traversal, another host, a symlink pointing outside), 404 for missing files.
 */
export async function serveAppRequest(request: Request, rootDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method Not Allowed');
  const file = resolveAppUrl(request.url, rootDir);
  if (file === null) return refuse(403, 'Forbidden');
  let realFile: string;
  let realRoot: string;
  try {
    [realFile, realRoot] = await Promise.all([realpath(file), realpath(rootDir)]);
  } catch {
    return refuse(404, 'Not Found');
  }
  // A symlink inside dist/renderer must not lead out of it.
  if (!isInside(realRoot, realFile)) return refuse(403, 'Forbidden');
  try {
    const info = await stat(realFile);
    if (!info.isFile()) return refuse(404, 'Not Found');
    const headers = baseHeaders(mimeTypeFor(realFile));
    headers.set('Content-Length', String(info.size));
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
    const body = await readFile(realFile);
    return new Response(body, { status: 200, headers });
  } catch {
    return refuse(404, 'Not Found');
  }
}

/**
 * Must run before the app's `ready` event: a standard, secure scheme (a real
 * origin, a secure context, fetch allowed for its own files). Deliberately
 * not corsEnabled and not bypassCSP.
 */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Installs the handler on a session's protocol (after `ready`). */
export function handleAppScheme(protocol: Protocol, rootDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rootDir));
}
