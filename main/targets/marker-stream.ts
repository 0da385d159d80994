// Finds where a run begins and ends inside a session shell's output stream.
// The shell prints a begin and an end marker carrying a nonce that is random
// per run; only markers with this run's nonce count, so output that mimics a
// marker (or replays one from an earlier run) never ends a run. The markers
// are private OSC sequences, which a terminal ignores, so nothing of them
// would show even if a piece slipped through.

import { randomBytes } from 'node:crypto';

/** How every private marker of Modus starts (runs, failures, holds). */
export const MARKER_OSC = '\x1b]6973;';
const BEL = 0x07;
/** Longest exit status text after the end marker (`-2147483648`). */
const STATUS_MAX = 12;

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/** Shell code (POSIX printf) that prints the begin marker. */
export function beginMarkerCommand(nonce: string): string {
  return `printf '\\033]6973;B;%s\\007' ${nonce}`;
}

/** Shell code that prints the end marker with the status of the previous command. */
export function endMarkerCommand(nonce: string): string {
  return `printf '\\033]6973;E;%s;%d\\007' ${nonce} "$?"`;
}

export interface MarkerScan {
  /** Bytes of the run's output found in this chunk (before the end marker). */
  output: Uint8Array;
  /** Set when this run's end marker was seen; the status the shell reported. */
  endStatus?: number;
  /** Set when the begin marker was seen in this chunk: what it carried after the nonce (`B;NONCE;a;b` gives [a, b]). */
  beginFields?: string[];
  /** Set when a failure marker (`F;NONCE;WHAT`) came instead of a begin: the run never started, WHAT says why. */
  failure?: string;
}

/** Longest field text a begin or failure marker carries (a pid and a directory). */
const FIELDS_MAX = 4096;

export class MarkerStream {
  private readonly begin: Buffer;
  private readonly fail: Buffer;
  private readonly end: Buffer;
  private begun = false;
  private finished = false;
  private carry: Buffer = Buffer.alloc(0);

  constructor(nonce: string) {
    this.begin = Buffer.from(`${MARKER_OSC}B;${nonce}`, 'latin1');
    this.fail = Buffer.from(`${MARKER_OSC}F;${nonce};`, 'latin1');
    this.end = Buffer.from(`${MARKER_OSC}E;${nonce};`, 'latin1');
  }

  get hasBegun(): boolean {
    return this.begun;
  }

  feed(chunk: Uint8Array): MarkerScan {
    if (this.finished) return { output: new Uint8Array(0) };
    let buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.carry = Buffer.alloc(0);
    let beginFields: string[] | undefined;
    if (!this.begun) {
      const failed = markerAt(buf, this.fail);
      if (failed === 'partial') return this.holdFrom(buf, buf.indexOf(this.fail));
      if (failed !== null) {
        this.finished = true;
        return { output: new Uint8Array(0), failure: failed.fields };
      }
      const begun = markerAt(buf, this.begin);
      if (begun === 'partial') return this.holdFrom(buf, buf.indexOf(this.begin));
      if (begun === null) {
        // Anything before the begin marker belongs to no run; keep only what could be the start of a marker.
        const keep = Math.max(possiblePrefixLength(buf, this.begin), possiblePrefixLength(buf, this.fail));
        this.carry = Buffer.from(buf.subarray(buf.length - keep));
        return { output: new Uint8Array(0) };
      }
      this.begun = true;
      beginFields = begun.fields === '' ? [] : begun.fields.slice(1).split(';');
      buf = buf.subarray(begun.next);
    }
    const scan = this.afterBegin(buf);
    return beginFields === undefined ? scan : { ...scan, beginFields };
  }

  private holdFrom(buf: Buffer, at: number): MarkerScan {
    this.carry = Buffer.from(buf.subarray(at));
    return { output: new Uint8Array(0) };
  }

  private afterBegin(buf: Buffer): MarkerScan {
    const at = buf.indexOf(this.end);
    if (at >= 0) {
      const statusEnd = buf.indexOf(BEL, at + this.end.length);
      if (statusEnd >= 0) {
        this.finished = true;
        const status = Number(buf.subarray(at + this.end.length, statusEnd).toString('latin1'));
        return { output: buf.subarray(0, at), endStatus: Number.isInteger(status) ? status : 1 };
      }
      if (buf.length - at <= this.end.length + STATUS_MAX) {
        this.carry = Buffer.from(buf.subarray(at));
        return { output: buf.subarray(0, at) };
      }
      // A marker with this nonce but no status: not ours after all; pass it through.
    }
    const keep = possiblePrefixLength(buf, this.end);
    this.carry = Buffer.from(buf.subarray(buf.length - keep));
    return { output: buf.subarray(0, buf.length - keep) };
  }

  /** What was held back waiting for a possible marker, when the stream ends without one. */
  flush(): Uint8Array {
    const rest = this.begun ? this.carry : Buffer.alloc(0);
    this.carry = Buffer.alloc(0);
    return rest;
  }
}

/**
 * A marker `prefix` followed by fields and BEL: where it ends and its fields
 * (the text between the prefix and BEL); 'partial' when the buffer ends
 * inside it; null when there is none. A prefix with no BEL within
 * FIELDS_MAX bytes is output that happens to look like one, not a marker.
 */
function markerAt(buf: Buffer, prefix: Buffer): { fields: string; next: number } | 'partial' | null {
  let from = 0;
  for (;;) {
    const at = buf.indexOf(prefix, from);
    if (at < 0) return null;
    const bel = buf.indexOf(BEL, at + prefix.length);
    if (bel >= 0 && bel - at - prefix.length <= FIELDS_MAX) return { fields: buf.subarray(at + prefix.length, bel).toString('utf8'), next: bel + 1 };
    if (bel < 0 && buf.length - at - prefix.length <= FIELDS_MAX) return 'partial';
    from = at + 1;
  }
}

/** Length of the longest suffix of `buf` that is a prefix of `needle`. */
export function possiblePrefixLength(buf: Buffer, needle: Buffer): number {
  const max = Math.min(buf.length, needle.length - 1);
  for (let n = max; n > 0; n--) {
    if (buf.subarray(buf.length - n).equals(needle.subarray(0, n))) return n;
  }
  return 0;
}
