// Reads the markers of a held session (hold-script.ts) out of its terminal
// output: P (at the prompt), C;LINE (a command typed by hand starts), H;HOW
// (the hold is over), T;PATH (the terminal's device, which a transport may
// need to resize it from outside). Markers carry the hold's nonce; anything else,
// including marker-like output with another nonce, is the person's output
// and passes through untouched. Markers are removed from what the terminal
// tab gets (a terminal ignores private OSCs anyway; they are removed so the
// tab's bytes are exactly what the shell and its programs printed).

import { MARKER_OSC, possiblePrefixLength } from './marker-stream.js';

const PREFIX = Buffer.from(MARKER_OSC, 'latin1');
const BEL = 0x07;
/** Longest marker body (kind, nonce, a command line of 200 characters quoted by %q: up to 4 bytes each). */
const MAX_MARKER = 2048;

export type HoldEvent =
  | { kind: 'prompt' }
  /** `line`: the command as the shell quoted it (printf %q), first 200 characters. */
  | { kind: 'command'; line: string }
  | { kind: 'back'; how: string }
  | { kind: 'tty'; path: string };

export interface HoldScan {
  output: Uint8Array;
  events: HoldEvent[];
}

export class HoldMarkers {
  private carry: Buffer = Buffer.alloc(0);
  private readonly nonce: string;

  constructor(nonce: string) {
    this.nonce = nonce;
  }

  feed(chunk: Uint8Array): HoldScan {
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.carry = Buffer.alloc(0);
    const out: Buffer[] = [];
    const events: HoldEvent[] = [];
    let from = 0;
    let search = 0;
    for (;;) {
      const at = buf.indexOf(PREFIX, search);
      if (at < 0) break;
      const bel = buf.indexOf(BEL, at + PREFIX.length);
      if (bel < 0) {
        if (buf.length - at <= MAX_MARKER) {
          // Maybe a marker cut by the read: wait for the rest.
          out.push(buf.subarray(from, at));
          this.carry = Buffer.from(buf.subarray(at));
          return { output: Buffer.concat(out), events };
        }
        break;
      }
      const event = this.parse(buf.subarray(at + PREFIX.length, bel).toString('utf8'));
      if (event) {
        out.push(buf.subarray(from, at));
        events.push(event);
        from = bel + 1;
      }
      search = event ? bel + 1 : at + 1;
    }
    const keep = possiblePrefixLength(buf.subarray(from), PREFIX);
    out.push(buf.subarray(from, buf.length - keep));
    if (keep > 0) this.carry = Buffer.from(buf.subarray(buf.length - keep));
    return { output: Buffer.concat(out), events };
  }

  /** What was held back as a possible marker when the stream ends. */
  flush(): Uint8Array {
    const rest = this.carry;
    this.carry = Buffer.alloc(0);
    return rest;
  }

  private parse(body: string): HoldEvent | null {
    const kind = body[0];
    const rest = body.slice(2);
    if (body[1] !== ';' || !rest.startsWith(this.nonce)) return null;
    const after = rest.slice(this.nonce.length);
    if (kind === 'P' && after === '') return { kind: 'prompt' };
    if (after[0] !== ';') return null;
    if (kind === 'C') return { kind: 'command', line: after.slice(1) };
    if (kind === 'H') return { kind: 'back', how: after.slice(1) };
    if (kind === 'T') return { kind: 'tty', path: after.slice(1) };
    return null;
  }
}

/** A command line as printf %q quoted it, made readable for a message: `sleep\ 100` is `sleep 100`; `$'…'` forms stay as they are. */
export function readableCommand(quoted: string): string {
  if (quoted.startsWith("$'")) return quoted;
  return quoted.replace(/\\(.)/g, '$1');
}
