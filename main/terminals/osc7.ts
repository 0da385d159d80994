// Watches a pty's output for OSC 7 (`ESC ] 7 ; file://host/path BEL|ST`),
// the sequence shells emit to report their working directory. The scanner is
// incremental, so a sequence cut across output chunks is still recognised,
// and its memory is bounded whatever the stream contains. A local shell's
// directory must be on this machine; an SSH tab's (localHost null) is on the
// remote host, whatever its name.

import { hostname } from 'node:os';

const ESC = 0x1b;
const BEL = 0x07;
const OSC_INTRODUCER = 0x5d; // ]
const STRING_TERMINATOR = 0x5c; // \
/** Paths longer than this are not paths a shell reports; the sequence is dropped. */
const MAX_PAYLOAD_BYTES = 8192;

type State = 'ground' | 'escape' | 'osc' | 'oscEscape';

/** Turns `file://host/path` into a path, or null when it is not one of ours (`localHost` null: any host's). */
export function cwdFromOsc7Payload(payload: string, localHost: string | null = hostname()): string | null {
  if (!payload.startsWith('7;')) return null;
  let url: URL;
  try {
    url = new URL(payload.slice(2));
  } catch {
    return null;
  }
  if (url.protocol !== 'file:') return null;
  const host = url.hostname.toLowerCase();
  // A directory on another machine (the shell runs over ssh) is no place to restore a local shell.
  if (localHost !== null && host !== '' && host !== 'localhost' && host !== localHost.toLowerCase()) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  return path.startsWith('/') && !path.includes('\0') ? path : null;
}

export class Osc7Scanner {
  #state: State = 'ground';
  #payload: number[] = [];
  #overflow = false;

  constructor(private readonly localHost: string | null = hostname()) {}

  /** Scans a chunk of output; returns the working directories it reported, in order. */
  scan(bytes: Uint8Array): string[] {
    const found: string[] = [];
    let i = 0;
    while (i < bytes.length) {
      if (this.#state === 'ground') {
        const next = bytes.indexOf(ESC, i);
        if (next === -1) break;
        this.#state = 'escape';
        i = next + 1;
        continue;
      }
      if (this.#state === 'osc' && this.#overflow) {
        // Not an OSC 7 (or too long): skip to whatever could end it.
        const bel = bytes.indexOf(BEL, i);
        const esc = bytes.indexOf(ESC, i);
        const next = bel === -1 ? esc : esc === -1 ? bel : Math.min(bel, esc);
        if (next === -1) break;
        i = next;
      }
      const b = bytes[i++]!;
      switch (this.#state) {
        case 'escape':
          if (b === OSC_INTRODUCER) {
            this.#state = 'osc';
            this.#payload = [];
            this.#overflow = false;
          } else {
            this.#state = b === ESC ? 'escape' : 'ground';
          }
          break;
        case 'osc':
          if (b === BEL) this.#finish(found);
          else if (b === ESC) this.#state = 'oscEscape';
          else this.#collect(b);
          break;
        case 'oscEscape':
          if (b === STRING_TERMINATOR) {
            this.#finish(found);
          } else {
            // ESC inside an OSC cancels it; the ESC may begin a new sequence.
            this.#state = b === OSC_INTRODUCER ? 'osc' : b === ESC ? 'escape' : 'ground';
            this.#payload = [];
            this.#overflow = false;
          }
          break;
      }
    }
    return found;
  }

  #collect(b: number): void {
    // Only OSC 7 is of interest: give up early on any other OSC to keep memory flat.
    const n = this.#payload.length;
    if (this.#overflow || (n === 0 && b !== 0x37) || (n === 1 && b !== 0x3b) || n >= MAX_PAYLOAD_BYTES) {
      this.#overflow = true;
      return;
    }
    this.#payload.push(b);
  }

  #finish(found: string[]): void {
    if (!this.#overflow) {
      const cwd = cwdFromOsc7Payload(Buffer.from(this.#payload).toString('utf8'), this.localHost);
      if (cwd !== null) found.push(cwd);
    }
    this.#state = 'ground';
    this.#payload = [];
    this.#overflow = false;
  }
}
