// Output kept in the journal line itself (small outputs, and every output of
// journals written before blobs): its JSON string body is checked and decoded
// piece by piece, so a line of gigabytes costs no more memory than a piece.

import { Utf8Stream } from './utf8-stream.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** 1 for the bytes a base64 body may hold. */
const BASE64 = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=') BASE64[c.charCodeAt(0)] = 1;

/**
 * Whether bytes can be a JSON string body (between the quotes): valid UTF-8
 * (or base64 characters), no raw control characters, no unescaped quote.
 * Escape sequences themselves are not re-checked: the record's hash covers
 * them, and verification checks it on the same bytes.
 */
export class JsonBodyCheck {
  private ok = true;
  /** Backslashes in a row just before the next byte: an even number leaves a quote unescaped. */
  private backslashes = 0;
  private readonly utf8 = new Utf8Stream();

  constructor(private readonly encoding: 'utf8' | 'base64') {}

  update(body: Uint8Array): void {
    if (!this.ok) return;
    if (this.encoding === 'base64') {
      this.ok = body.every((b) => BASE64[b] === 1);
      return;
    }
    this.utf8.update(body);
    let run = this.backslashes;
    for (let i = 0; i < body.length; i++) {
      const b = body[i]!;
      if (b === BACKSLASH) {
        run++;
        continue;
      }
      // Control characters are exactly what a JSON string may not contain raw.
      if (b < 0x20 || (b === QUOTE && run % 2 === 0)) {
        this.ok = false;
        return;
      }
      run = 0;
    }
    this.backslashes = run;
  }

  end(): boolean {
    return this.ok && (this.encoding === 'base64' || (this.backslashes % 2 === 0 && this.utf8.end()));
  }
}

export function isJsonStringBody(body: Uint8Array, encoding: 'utf8' | 'base64'): boolean {
  const check = new JsonBodyCheck(encoding);
  check.update(body);
  return check.end();
}

/** The output bytes of a checked JSON string body, given in pieces of any size. */
export async function* decodeJsonBody(pieces: AsyncIterable<Buffer>, encoding: 'utf8' | 'base64'): AsyncGenerator<Buffer> {
  let carry = '';
  if (encoding === 'base64') {
    for await (const piece of pieces) {
      const text = carry + piece.toString('latin1');
      const cut = text.length - (text.length % 4);
      carry = text.slice(cut);
      if (cut > 0) yield Buffer.from(text.slice(0, cut), 'base64');
    }
    if (carry !== '') yield Buffer.from(carry, 'base64');
    return;
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const piece of pieces) {
    const text = carry + decoder.decode(piece, { stream: true });
    const cut = escapeBoundary(text);
    carry = text.slice(cut);
    if (cut > 0) yield Buffer.from(JSON.parse(`"${text.slice(0, cut)}"`) as string, 'utf8');
  }
  const rest = carry + decoder.decode();
  if (rest !== '') yield Buffer.from(JSON.parse(`"${rest}"`) as string, 'utf8');
}

/**
 * Where to cut JSON string text so no escape is split: before an escape the
 * text does not finish, and before a high surrogate's escape whose low half
 * is not there yet (a pair decodes only whole).
 */
function escapeBoundary(text: string): number {
  for (let k = text.indexOf('\\'); k >= 0; ) {
    const unicode = text[k + 1] === 'u';
    const length = unicode ? 6 : 2;
    if (k + length > text.length) return k;
    if (unicode && /^[dD][89abAB]/.test(text.slice(k + 2, k + 4)) && k + 2 * length > text.length) return k;
    k = text.indexOf('\\', k + length);
  }
  return text.length;
}
