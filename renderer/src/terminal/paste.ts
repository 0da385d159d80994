// Turns clipboard text into the bytes a shell may safely receive.
//
// Pure: no DOM, so it is unit-tested under node (test/unit/renderer/paste.test.ts).
//
// Why: a pasted text is untrusted. With bracketed paste, an embedded
// `ESC[201~` would end the bracket early and everything after it would run
// as typed commands ("\e[201~rm -rf ~\r"). So every ESC inside the text is
// replaced by U+241B (␛), a visible look-alike, and so is the 8-bit C1 CSI
// U+009B, which some applications treat like ESC [. Without bracketed paste
// the application cannot tell a paste from typing: ESC and C1 CSI are
// removed and line feeds become carriage returns (what the Enter key sends).

export const BRACKET_START = '\x1b[200~';
export const BRACKET_END = '\x1b[201~';
/** SYMBOL FOR ESCAPE: what an ESC inside a bracketed paste turns into. */
export const ESC_REPLACEMENT = '\u241b';

// ESC and the 8-bit CSI, built from code points (no control characters in a regex literal).
const ESCAPES = new RegExp(`[${String.fromCharCode(0x1b)}${String.fromCharCode(0x9b)}]`, "g");

/** CRLF and LF become CR, as typed Enter would send; lone CR stays. */
function enterLineEndings(text: string): string {
  return text.replace(/\r?\n/g, '\r');
}

/**
 * What to send to the pty for a paste of `text`.
 * `bracketed` is the application's bracketed-paste mode (DECSET 2004).
 */
export function preparePaste(text: string, bracketed: boolean): string {
  if (text.length === 0) return '';
  const lines = enterLineEndings(text);
  if (bracketed) return BRACKET_START + lines.replace(ESCAPES, ESC_REPLACEMENT) + BRACKET_END;
  return lines.replace(ESCAPES, '');
}
