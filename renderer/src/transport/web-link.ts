// Which links may leave the terminal: web links only. Pure (no DOM), so it is
// unit-tested under node (test/unit/renderer/web-link.test.ts).
//
// Why: terminal output is untrusted. A javascript: link would run in this
// page, a file: or custom-scheme link would hand a local resource or another
// program to whoever printed it. The Electron host checks again in main.

export type WebLinkCheck = { ok: true; url: string } | { ok: false; reason: string };

/** http: and https: URLs without credentials pass, normalised; anything else is refused with a reason a user can read. */
export function checkWebLink(url: string): WebLinkCheck {
  const shown = JSON.stringify(url.length > 200 ? `${url.slice(0, 200)}…` : url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: `${shown} is not a URL, so it was not opened.` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: `Only http and https links are opened; ${shown} is a ${parsed.protocol} link.` };
  }
  if (parsed.username || parsed.password) {
    return { ok: false, reason: `${shown} carries a user name or password; such links are not opened. Copy it if you trust it.` };
  }
  return { ok: true, url: parsed.href };
}
