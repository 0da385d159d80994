// Which links may leave the app (handed to the OS or a browser tab): the one
// check for both hosts. Pure: no Electron, no I/O.

export type ExternalUrlVerdict = { ok: true; url: string } | { ok: false; reason: string };

/** The longest URL handed to the OS; longer ones are refused rather than truncated. */
export const MAX_EXTERNAL_URL_LENGTH = 2048;

/**
 * May this URL be handed to the OS (shell.openExternal)? Only http and
 * https with a real host and no user:password@ part (a classic way to make
 * `https://bank.com@evil.example` look like bank.com). On success returns the
 * canonical form (lower-case scheme and host, IDN hosts as punycode), which
 * is what the confirmation shows and what gets opened.
 */
export function checkExternalUrl(raw: string): ExternalUrlVerdict {
  if (typeof raw !== 'string' || raw.length === 0) return { ok: false, reason: 'empty URL' };
  if (raw.length > MAX_EXTERNAL_URL_LENGTH) return { ok: false, reason: `URL longer than ${MAX_EXTERNAL_URL_LENGTH} characters` };
  // Control characters (CR/LF, NUL, ESC...) have no business in a link and are
  // how URLs get smuggled past a reader; URL() would silently strip some.
  if ([...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return { ok: false, reason: 'URL contains control characters' };
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'not a valid absolute URL' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    return { ok: false, reason: `scheme "${u.protocol}" is not opened outside the app (only http and https are)` };
  }
  // Also an empty one (`https://:@host`): URL() drops it, but the link text still lies.
  if (u.username !== '' || u.password !== '' || /^[a-z]+:\/\/[^/?#]*@/i.test(raw.trim())) {
    return { ok: false, reason: 'URL carries a user name or password (user@host)' };
  }
  if (u.hostname === '') return { ok: false, reason: 'URL has no host' };
  return { ok: true, url: u.href };
}

