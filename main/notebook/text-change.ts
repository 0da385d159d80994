// Changes to a text as an editor reports them: offset and length in UTF-16
// code units of the text before the change, applied one after another. Pure.

export interface TextChange {
  offset: number;
  length: number;
  text: string;
}

export class TextChangeError extends Error {
  override name = 'TextChangeError';
}

/** Applies changes in order, each against the text the one before left. Throws TextChangeError for a change outside the text. */
export function applyTextChanges(text: string, changes: readonly TextChange[]): string {
  let out = text;
  for (const c of changes) {
    if (c.offset + c.length > out.length) {
      throw new TextChangeError(`a change at ${c.offset}+${c.length} goes past the end of the text (${out.length} characters)`);
    }
    out = out.slice(0, c.offset) + c.text + out.slice(c.offset + c.length);
  }
  return out;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * The one change that turns `before` into `after`: what lies between their
 * common start and common end (never splitting a surrogate pair or a CRLF).
 * null when they are equal. Linear in the texts' length.
 */
export function minimalChange(before: string, after: string): TextChange | null {
  if (before === after) return null;
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  // Keep pairs whole: an editor counts a surrogate pair and a CRLF as one.
  while (start > 0 && (isLowSurrogate(before.charCodeAt(start)) || (before.charCodeAt(start) === 10 && before.charCodeAt(start - 1) === 13))) start--;
  while (endBefore < before.length && (isLowSurrogate(before.charCodeAt(endBefore)) || (before.charCodeAt(endBefore) === 10 && before.charCodeAt(endBefore - 1) === 13))) {
    endBefore++;
    endAfter++;
  }
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1)) && start < before.length && isLowSurrogate(before.charCodeAt(start))) start--;
  return { offset: start, length: endBefore - start, text: after.slice(start, endAfter) };
}
