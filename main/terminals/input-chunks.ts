// Cuts terminal input (a JS string from the renderer) into byte chunks of a
// bounded size for writing to a pty. A cut never falls inside a UTF-8
// character or inside an escape sequence (CSI, OSC, DCS, a two-byte ESC
// sequence), because programs that read the tty with a timeout (readline,
// vim) would otherwise see half a sequence or half a character.

export const DEFAULT_INPUT_CHUNK_BYTES = 4096;

const ESC = 0x1b;
const BEL = 0x07;

/** True when byte b is a UTF-8 continuation byte (10xxxxxx). */
const isContinuation = (b: number): boolean => (b & 0xc0) === 0x80;

/**
 * Index one past the end of the escape sequence that starts at `start`
 * (bytes[start] === ESC), or -1 when it does not end before `limit`.
 */
function escapeSequenceEnd(bytes: Uint8Array, start: number, limit: number): number {
  const kind = start + 1 < limit ? bytes[start + 1]! : -1;
  if (kind === -1) return -1;
  if (kind === 0x5b /* [ CSI */) {
    for (let i = start + 2; i < limit; i++) {
      const b = bytes[i]!;
      if (b >= 0x40 && b <= 0x7e) return i + 1;
      if (b < 0x20 || b > 0x3f) return i; // malformed: it ends where the junk begins
    }
    return -1;
  }
  if (kind === 0x5d /* ] OSC */ || kind === 0x50 /* P DCS */ || kind === 0x5f /* _ APC */ || kind === 0x5e /* ^ PM */) {
    for (let i = start + 2; i < limit; i++) {
      const b = bytes[i]!;
      if (b === BEL) return i + 1;
      if (b === ESC) return i + 1 < limit ? (bytes[i + 1] === 0x5c ? i + 2 : i) : -1;
    }
    return -1;
  }
  if (kind === 0x4f /* O SS3 */ || kind === 0x4e /* N SS2 */ || (kind >= 0x20 && kind <= 0x2f) /* ESC ( B and friends */) {
    return start + 3 <= limit ? start + 3 : -1;
  }
  return start + 2; // ESC x: Alt+x and other two-byte sequences
}

/**
 * The largest cut point in (from, from + max] that does not split a
 * character or an escape sequence. Sequences longer than a whole chunk are
 * split anyway (there is no better place) but never mid-character.
 */
function cutPoint(bytes: Uint8Array, from: number, max: number): number {
  const hardEnd = Math.min(bytes.length, from + max);
  if (hardEnd === bytes.length) return hardEnd;
  let cut = hardEnd;
  while (cut > from && isContinuation(bytes[cut]!)) cut--;
  if (cut === from) return hardEnd; // only continuation bytes: not UTF-8 from a JS string, cannot happen
  // Walk the sequences of this chunk from its start (so an ST inside an OSC is not taken for a
  // sequence of its own); the first one still open at the cut moves whole into the next chunk.
  // Looking for the end at most a little past the cut keeps this linear on hostile input.
  const horizon = Math.min(bytes.length, cut + 256);
  for (let i = bytes.indexOf(ESC, from); i !== -1 && i < cut; i = bytes.indexOf(ESC, i + 1)) {
    const end = escapeSequenceEnd(bytes, i, horizon);
    if (end === -1 || end > cut) return i > from ? i : cut;
    i = end - 1;
  }
  return cut;
}

/** Encodes `text` as UTF-8 and cuts it into chunks of at most `maxBytes` (see cutPoint). */
export function splitInput(text: string, maxBytes: number = DEFAULT_INPUT_CHUNK_BYTES): Buffer[] {
  if (!(Number.isInteger(maxBytes) && maxBytes >= 4)) throw new RangeError(`input chunks must be at least 4 bytes, got ${maxBytes}`);
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return bytes.length === 0 ? [] : [bytes];
  const chunks: Buffer[] = [];
  let from = 0;
  while (from < bytes.length) {
    const to = cutPoint(bytes, from, maxBytes);
    chunks.push(bytes.subarray(from, to));
    from = to;
  }
  return chunks;
}
