// The Electron host's security decisions as small pure functions, so each one
// is unit-tested without Electron (test/unit/electron/security.test.ts).
// Nothing here imports 'electron'.

import { isAbsolute, relative, resolve, sep } from 'node:path';
import { checkExternalUrl } from '../external-url.js';

/** The privileged scheme the UI is served from (never file://). */
export const APP_SCHEME = 'app';
/** The one host of that scheme; `app://other/` is refused. */
export const APP_HOST = 'modus';
/** Where the window loads the UI. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * The Content-Security-Policy sent with every app:// response. No inline or
 * eval'd script, no remote anything; inline styles stay allowed because
 * xterm.js writes its theme into a <style> element. No ws: here: in Electron
 * the transport is IPC, so the page needs no network at all.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "worker-src 'none'",
].join('; ');

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * True when `url` is our own app origin (`app://modus`). Node's URL gives
 * "null" as the origin of non-special schemes, so scheme and host are
 * compared one by one instead of `origin`; no userinfo or port may ride along.
 */
export function isAppOrigin(url: string): boolean {
  const u = parse(url);
  return (
    u !== null &&
    u.protocol === `${APP_SCHEME}:` &&
    u.hostname === APP_HOST &&
    u.port === '' &&
    u.username === '' &&
    u.password === ''
  );
}

/**
 * Navigation the window may perform: only to the UI's own document (a
 * reload of `app://modus/` or `app://modus/index.html`, any query or hash).
 * Everything else, including other app:// paths, other schemes and
 * unparsable URLs, is denied.
 */
export function isAllowedNavigation(target: string): boolean {
  if (!isAppOrigin(target)) return false;
  const u = new URL(target);
  return u.pathname === '/' || u.pathname === '/index.html';
}

export { checkExternalUrl, MAX_EXTERNAL_URL_LENGTH, type ExternalUrlVerdict } from '../external-url.js';

/** Boolean form of {@link checkExternalUrl}. */
export function isAllowedExternalUrl(raw: string): boolean {
  return checkExternalUrl(raw).ok;
}

/**
 * The text of the confirmation shown before a link leaves the app. It shows
 * the canonical URL and, separately, the host as the OS will resolve it, so
 * a look-alike (IDN punycode `xn--`, `a.com.evil`) is visible.
 */
export function externalLinkPrompt(canonicalUrl: string): { message: string; detail: string } {
  const u = new URL(canonicalUrl);
  return {
    message: `Open this link in your browser?`,
    detail: `Host: ${u.hostname}\n\n${u.href}`,
  };
}

/**
 * Maps an app:// request URL to a file under `rootDir`, or null when the
 * request must be refused: another scheme or host, a port or userinfo,
 * `..` segments (also percent-encoded, also after decoding `%2f`), NUL,
 * backslashes, or anything that resolves outside `rootDir`. `/` maps to
 * index.html. The caller still checks that the file exists.
 */
export function resolveAppUrl(url: string, rootDir: string): string | null {
  if (!isAppOrigin(url)) return null;
  // URL() quietly resolves `..` (also `%2e%2e`), which would turn a traversal
  // attempt into an innocent-looking path. A request that tries is refused
  // outright instead of being served something else.
  if (hasDotSegment(url)) return null;
  const u = new URL(url);
  let decoded: string;
  try {
    decoded = decodeURIComponent(u.pathname);
  } catch {
    return null; // malformed percent-encoding
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  if (segments.length === 0) segments.push('index.html');
  const root = resolve(rootDir);
  const file = resolve(root, ...segments);
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  return file;
}

function hasDotSegment(url: string): boolean {
  const afterScheme = url.slice(url.indexOf('://') + 3);
  const slash = afterScheme.indexOf('/');
  if (slash === -1) return false;
  const path = afterScheme.slice(slash).split(/[?#]/, 1)[0] ?? '';
  return path.split(/\/|\\|%2f|%5c/i).some((segment) => {
    const s = segment.replace(/%2e/gi, '.');
    return s === '.' || s === '..';
  });
}

/** What the IPC handler knows about the frame that sent a message. */
export interface SenderFrameFacts {
  /** `event.senderFrame` was still alive (null once the frame navigated away or died). */
  present: boolean;
  /** The frame is the main frame of the window this connection belongs to. */
  isMainFrameOfWindow: boolean;
  /** The frame's current URL. */
  url: string;
}

/**
 * Messages are accepted only from the main frame of our own window while it
 * shows our own origin. An injected iframe, a frame that navigated
 * elsewhere, or another window's frame is refused.
 */
export function isTrustedSender(frame: SenderFrameFacts): boolean {
  return frame.present && frame.isMainFrameOfWindow && isAppOrigin(frame.url);
}

/** Permissions (notifications, media, geolocation, clipboard, HID...) are all refused. */
export function isPermissionGranted(_permission: string): boolean {
  return false;
}

export { mimeTypeFor } from '../mime-types.js';

/**
 * Requests the session lets through (a second wall behind the CSP): our own
 * origin, inline data:/blob: the page made itself, and DevTools' own pages.
 * http(s), ws(s), file: and every other scheme are cancelled.
 */
export function isAllowedRequest(url: string): boolean {
  if (isAppOrigin(url)) return true;
  const u = parse(url);
  if (u === null) return false;
  return u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'devtools:';
}
