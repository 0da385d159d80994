// Finds where a run begins and ends inside a session shell's output stream.
// The shell prints a begin and an end marker carrying a nonce that is random
// per run; only markers with this run's nonce count, so output that mimics a
// marker (or replays one from an earlier run) never ends a run. The markers
// are private OSC sequences, which a terminal ignores, so nothing of them
// would show even if a piece slipped through.

import { randomBytes } from 'node:crypto';

const OSC = '\x1b]6973;';
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
}

export class MarkerStream {
  private readonly begin: Buffer;
  private readonly end: Buffer;
  private begun = false;
  private finished = false;
  private carry: Buffer = Buffer.alloc(0);

  constructor(nonce: string) {
    this.begin = Buffer.from(`${OSC}B;${nonce}\x07`, 'latin1');
    this.end = Buffer.from(`${OSC}E;${nonce};`, 'latin1');
  }

  get hasBegun(): boolean {
    return this.begun;
  }

  feed(chunk: Uint8Array): MarkerScan {
    if (this.finished) return { output: new Uint8Array(0) };
    let buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.carry = Buffer.alloc(0);
    if (!this.begun) {
      const at = buf.indexOf(this.begin);
      if (at < 0) {
        // Anything before the begin marker belongs to no run; keep only what could be its start.
        this.carry = Buffer.from(buf.subarray(Math.max(0, buf.length - (this.begin.length - 1))));
        return { output: new Uint8Array(0) };
      }
      this.begun = true;
      buf = buf.subarray(at + this.begin.length);
    }
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

/** Length of the longest suffix of `buf` that is a prefix of `needle`. */
function possiblePrefixLength(buf: Buffer, needle: Buffer): number {
  const max = Math.min(buf.length, needle.length - 1);
  for (let n = max; n > 0; n--) {
    if (buf.subarray(buf.length - n).equals(needle.subarray(0, n))) return n;
  }
  return 0;
}
