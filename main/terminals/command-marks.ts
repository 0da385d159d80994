// Finds the marks a shell started by Modus prints around each command (shell
// integration, OSC 133 as in VS Code's and iTerm2's): A prompt start, B
// prompt end (the user types after it), C output start (with the command
// line), D command end (with its exit status). Every mark carries the
// shell's random nonce (`k=`): a program that prints a mark without it, to
// fake a prompt or cut its own output, is ignored. Incremental (a mark cut
// across chunks is found) and bounded in memory whatever the stream holds.
//
//   ESC ] 133 ; A ; k=NONCE ; s=SHELL BEL                (s=: bash or zsh, Modus's own field)
//   ESC ] 133 ; C ; k=NONCE ; c=ESCAPED-COMMAND BEL      (\\ and \xHH escapes)
//   ESC ] 133 ; D ; EXIT ; k=NONCE BEL
// (ST, ESC \, ends a mark as BEL does.)

const ESC = 0x1b;
const BEL = 0x07;
const OSC_INTRODUCER = 0x5d; // ]
const STRING_TERMINATOR = 0x5c; // \
/** Room for a long command line; anything longer is not one of our marks. */
const MAX_PAYLOAD_BYTES = 256 * 1024;
const PREFIX = [0x31, 0x33, 0x33, 0x3b]; // "133;"

export type CommandMark =
  /** `shell`: the shell that drew the prompt (`bash`, `zsh`), when it said. */
  | { kind: 'prompt-start'; shell: string | null }
  | { kind: 'prompt-end' }
  /** The command line as the shell read it (empty when the shell could not tell). */
  | { kind: 'output-start'; command: string }
  | { kind: 'command-end'; exitCode: number | null };

export interface FoundMark {
  mark: CommandMark;
  /** Index in the chunk just after the mark's terminator. */
  end: number;
}

type State = 'ground' | 'escape' | 'osc' | 'oscEscape';

/** Undoes the shell's escaping of the command text (`\\`, `\xHH`). */
export function unescapeCommand(text: string): string {
  return text.replace(/\\(\\|x[0-9a-fA-F]{2})/g, (_m, e: string) => (e === '\\' ? '\\' : String.fromCharCode(parseInt(e.slice(1), 16))));
}

/** Parses an OSC payload (without `ESC ]` and the terminator); null when it is not a mark with this nonce. */
export function parseCommandMark(payload: string, nonce: string): CommandMark | null {
  if (!payload.startsWith('133;')) return null;
  const fields = payload.split(';').slice(1);
  const letter = fields.shift();
  let key: string | null = null;
  let command = '';
  let shell: string | null = null;
  const bare: string[] = [];
  for (const f of fields) {
    if (f.startsWith('k=')) key = f.slice(2);
    else if (f.startsWith('c=')) command = unescapeCommand(f.slice(2));
    else if (f.startsWith('s=') && /^[a-z][a-z0-9]{0,15}$/.test(f.slice(2))) shell = f.slice(2);
    else bare.push(f);
  }
  if (key === null || key !== nonce) return null;
  switch (letter) {
    case 'A':
      return { kind: 'prompt-start', shell };
    case 'B':
      return { kind: 'prompt-end' };
    case 'C':
      return { kind: 'output-start', command };
    case 'D': {
      const code = bare[0] !== undefined && /^\d{1,3}$/.test(bare[0]) ? Number(bare[0]) : null;
      return { kind: 'command-end', exitCode: code };
    }
    default:
      return null;
  }
}

export class CommandMarkScanner {
  #state: State = 'ground';
  #payload: number[] = [];
  #overflow = false;

  constructor(private readonly nonce: string) {}

  scan(bytes: Uint8Array): FoundMark[] {
    const found: FoundMark[] = [];
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
        const bel = bytes.indexOf(BEL, i);
        const esc = bytes.indexOf(ESC, i);
        const next = bel === -1 ? esc : esc === -1 ? bel : Math.min(bel, esc);
        if (next === -1) break;
        i = next;
      }
      const b = bytes[i++]!;
      switch (this.#state) {
        case 'escape':
          if (b === OSC_INTRODUCER) this.#start();
          else this.#state = b === ESC ? 'escape' : 'ground';
          break;
        case 'osc':
          if (b === BEL) this.#finish(found, i);
          else if (b === ESC) this.#state = 'oscEscape';
          else this.#collect(b);
          break;
        case 'oscEscape':
          if (b === STRING_TERMINATOR) this.#finish(found, i);
          else if (b === OSC_INTRODUCER) this.#start();
          else this.#state = b === ESC ? 'escape' : 'ground';
          break;
      }
    }
    return found;
  }

  #start(): void {
    this.#state = 'osc';
    this.#payload = [];
    this.#overflow = false;
  }

  #collect(b: number): void {
    const n = this.#payload.length;
    // Only "133;…" is ours: give up at once on any other OSC, and on one too long to be a mark.
    if (this.#overflow || (n < PREFIX.length && b !== PREFIX[n]) || n >= MAX_PAYLOAD_BYTES) {
      this.#overflow = true;
      return;
    }
    this.#payload.push(b);
  }

  #finish(found: FoundMark[], end: number): void {
    if (!this.#overflow) {
      const mark = parseCommandMark(Buffer.from(this.#payload).toString('utf8'), this.nonce);
      if (mark) found.push({ mark, end });
    }
    this.#state = 'ground';
    this.#payload = [];
    this.#overflow = false;
  }
}
