// What a terminal would show of a run's output, as plain text. Output goes
// through a headless xterm (so carriage-return progress bars collapse to
// their final state, cursor moves are resolved and colours disappear) that is
// wide and whose wrapped rows are joined back into their logical lines.
//
// Memory stays bounded whatever the output size: the terminal is fed in small
// pieces; after each piece the rows that scrolled into the scrollback (which
// no cursor can reach any more, so they are final) are harvested and then
// erased from the terminal (ED 3). Of the harvested lines only the first
// HEAD_LINES and the last TAIL_LINES are kept; the rest are counted.

import xtermHeadless from '@xterm/headless';
import type { Terminal as HeadlessTerminal, IBuffer } from '@xterm/headless';

/** Terminal width used for capture: wide, so tables and long lines stay intact. */
export const CAPTURE_COLS = 500;
export const CAPTURE_ROWS = 50;
/** Lines kept from the start and from the end of long output. */
export const HEAD_LINES = 100;
export const TAIL_LINES = 100;
/** A single logical line longer than this is cut (memory bound for output without newlines). */
export const MAX_LINE_CHARS = 10_000;
/** Each terminal write holds at most this many bytes and newlines, so it cannot overflow the scrollback before harvesting. */
const MAX_PIECE_BYTES = 256 * 1024;
const MAX_PIECE_NEWLINES = 2000;
const SCROLLBACK = 4 * MAX_PIECE_NEWLINES;
/** Producers are asked to wait above HIGH_WATER queued bytes until it falls under LOW_WATER. */
const HIGH_WATER = 1 << 20;
const LOW_WATER = 256 * 1024;
/** Small chunks are gathered up to this size, or for at most this long, before a terminal write. */
const BATCH_BYTES = 128 * 1024;
const BATCH_WAIT_MS = 10;
const ERASE_SCROLLBACK = '\x1b[3J';
/** Stands for a line that was never turned into text (plain output certain to be omitted); cannot occur in real text, which has no NUL. */
const SKIPPED_LINE = '\u0000';
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export interface CapturedText {
  /** Head, `… N lines omitted …`, tail; trailing blank lines removed. No trailing newline. */
  text: string;
  /** Number of logical lines in the whole output. */
  lines: number;
  omitted: number;
  /**
   * Indexes of the watched patterns that matched one of the omitted lines:
   * an expectation must hold on the whole output, not only on what is shown.
   */
  matchedInOmitted: number[];
}

export function omittedLine(n: number): string {
  return `… ${n} line${n === 1 ? '' : 's'} omitted …`;
}

export class TerminalCapture {
  /** Created on first need: output that is plain text from start to end never needs an emulator. */
  private termInstance: HeadlessTerminal | null = null;
  /** Rows at the top that were harvested and are erased by the next terminal write. */
  private harvestedTop = 0;
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private pump: Promise<void> | null = null;
  private drainWaiters: (() => void)[] = [];
  private readonly head: string[] = [];
  private readonly tail: string[] = [];
  private total = 0;
  /** Text so far of a logical line whose rows continue below the harvested part. */
  private pending: string | null = null;
  private finishing = false;
  private wakeBatch: (() => void) | null = null;
  /** Invalid UTF-8 shows as U+FFFD (xterm alone would drop the bytes silently); split characters survive piece boundaries. */
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

  private readonly matchedOmitted = new Set<number>();

  /** `watch`: patterns checked against each line that will be left out of the text (line by line). */
  constructor(
    readonly cols = CAPTURE_COLS,
    private readonly watch: readonly RegExp[] = [],
  ) {}

  private omit(line: string): void {
    if (line === SKIPPED_LINE) return; // checked when it was skipped
    this.watch.forEach((re, i) => {
      if (this.matchedOmitted.has(i)) return;
      re.lastIndex = 0;
      if (re.test(line)) this.matchedOmitted.add(i);
      re.lastIndex = 0;
    });
  }

  private get term(): HeadlessTerminal {
    this.termInstance ??= new xtermHeadless.Terminal({
      cols: this.cols,
      rows: CAPTURE_ROWS,
      scrollback: SCROLLBACK,
      // Output from non-pty transports may use bare \n; a pty's \r\n is unaffected.
      convertEol: true,
      allowProposedApi: true,
    });
    return this.termInstance;
  }

  /** Feeds raw output. Returns a promise when the producer should wait (flow control). */
  write(bytes: Uint8Array): void | Promise<void> {
    if (bytes.length === 0) return;
    // Copy: producers may reuse their buffers.
    this.queue.push(Uint8Array.from(bytes));
    this.queuedBytes += bytes.length;
    if (this.queuedBytes >= BATCH_BYTES) this.wakeBatch?.();
    this.pump ??= this.drain();
    if (this.queuedBytes > HIGH_WATER) return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Waits for everything written so far, then returns the text. The capture cannot be written to afterwards. */
  async finish(): Promise<CapturedText> {
    this.finishing = true;
    this.wakeBatch?.();
    while (this.pump) await this.pump;
    const rest = this.decoder.decode();
    if (rest !== '') await this.writeToTerminal(rest);
    if (this.termInstance) {
      this.harvestRows(this.harvestedTop, this.termInstance.buffer.active.length, true);
      this.termInstance.dispose();
    } else if (this.pending !== null) {
      this.emit(this.pending);
      this.pending = null;
    }
    this.trimTrailingBlankLines();
    if (this.tail.length > TAIL_LINES) for (const line of this.tail.splice(0, this.tail.length - TAIL_LINES)) this.omit(line);
    const omitted = this.total - this.head.length - this.tail.length;
    // A skipped line reaches the tail only when more trailing blank lines than a screen were trimmed; its text was not kept.
    const tail = this.tail.map((line) => (line === SKIPPED_LINE ? '' : line));
    const lines = omitted > 0 ? [...this.head, omittedLine(omitted), ...tail] : [...this.head, ...tail];
    return { text: lines.join('\n'), lines: this.total, omitted, matchedInOmitted: [...this.matchedOmitted].sort((a, b) => a - b) };
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        await this.waitForBatch();
        const bytes = this.nextPiece();
        if (this.termInstance === null && this.finishing && this.queue.length === 0 && isPlain(bytes, true)) {
          // The whole output is plain text and complete: its lines are final as they are.
          this.emitPlainLines(this.decoder.decode(bytes).split('\n'), 0);
        } else if (this.canTakeFastPath(bytes)) {
          await this.writePlainLines(this.decoder.decode(bytes, { stream: true }));
        } else {
          await this.writeToTerminal(this.decoder.decode(bytes, { stream: true }));
          this.harvest();
        }
        if (this.queuedBytes <= LOW_WATER) this.releaseWaiters();
      }
    } finally {
      this.pump = null;
      this.releaseWaiters();
    }
  }

  /**
   * Output arrives in small chunks (a pty read is often 4 KB); each terminal
   * write costs a timer turn, so small chunks are gathered for a moment first.
   */
  private async waitForBatch(): Promise<void> {
    if (this.finishing || this.queuedBytes >= BATCH_BYTES) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, BATCH_WAIT_MS);
      this.wakeBatch = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeBatch = null;
  }

  /** One terminal write; erasing the rows harvested last time travels with it (each write costs a timer turn). */
  private writeToTerminal(data: string): Promise<void> {
    const erase = this.harvestedTop > 0 ? ERASE_SCROLLBACK : '';
    this.harvestedTop = 0;
    return new Promise<void>((resolve) => this.term.write(erase + data, resolve));
  }

  /**
   * Plain text (no escapes, no bare carriage returns, no other control
   * characters) that starts at the beginning of a line and ends with a
   * newline does the same thing on any terminal: each line is itself, and
   * once more lines than the screen holds have gone by, the screen shows just
   * the last ones. Such pieces skip the terminal emulator (which parses only
   * about 10 MB/s at this width) except for their last screenful, so the
   * terminal ends in exactly the state it would have had.
   */
  private canTakeFastPath(bytes: Uint8Array): boolean {
    if (bytes.length === 0 || bytes[bytes.length - 1] !== NEWLINE || !isPlain(bytes, false)) return false;
    if (this.termInstance) {
      const buf = this.termInstance.buffer.active;
      if (buf.type !== 'normal' || buf.cursorX !== 0 || buf.getLine(buf.baseY + buf.cursorY)?.isWrapped) return false;
    }
    let newlines = 0;
    for (let i = bytes.indexOf(NEWLINE); i >= 0; i = bytes.indexOf(NEWLINE, i + 1)) newlines++;
    return newlines > 2 * CAPTURE_ROWS;
  }

  private async writePlainLines(text: string): Promise<void> {
    // Everything above the cursor is final now: collect it, then start from an empty screen.
    if (this.termInstance) {
      const buf = this.termInstance.buffer.active;
      this.harvestRows(this.harvestedTop, buf.baseY + buf.cursorY, true);
      this.harvestedTop = buf.baseY + buf.cursorY;
    }
    const lines = text.split('\n');
    lines.pop();
    const direct = lines.length - (CAPTURE_ROWS - 1);
    this.emitPlainLines(lines.slice(0, direct), TAIL_LINES + CAPTURE_ROWS);
    await this.writeToTerminal('\x1b[2J\x1b[H' + lines.slice(direct).join('\n') + '\n');
    // Long lines among them may have wrapped into the scrollback: collect those rows before the next erase.
    this.harvest();
  }

  /** Lines that need no terminal; only those that can end up in the head or the last `keepLast` are turned into text. */
  private emitPlainLines(lines: string[], keepLast: number): void {
    if (lines.length > 0 && lines[lines.length - 1] === '' && keepLast === 0) lines.pop();
    const keepFrom = keepLast === 0 ? 0 : lines.length - keepLast;
    for (let i = 0; i < lines.length; i++) {
      const needed = keepLast === 0 || this.total < HEAD_LINES || i >= keepFrom;
      if (needed) this.emit(plainLine(lines[i]!));
      else this.skip(() => plainLine(lines[i]!));
    }
  }

  private releaseWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  /**
   * Takes at most MAX_PIECE_BYTES bytes holding at most MAX_PIECE_NEWLINES
   * newlines off the queue, joining small chunks and ending after a newline
   * where there is one.
   */
  private nextPiece(): Uint8Array {
    const parts = [this.queue.shift()!];
    let size = parts[0]!.length;
    while (size < MAX_PIECE_BYTES && this.queue.length > 0) {
      const more = this.queue.shift()!;
      parts.push(more);
      size += more.length;
    }
    const gathered = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    let cut = Math.min(gathered.length, MAX_PIECE_BYTES);
    let newlines = 0;
    for (let i = gathered.indexOf(NEWLINE); i >= 0 && i < cut; i = gathered.indexOf(NEWLINE, i + 1)) {
      if (++newlines === MAX_PIECE_NEWLINES) {
        cut = i + 1;
        break;
      }
    }
    if (cut < gathered.length && newlines < MAX_PIECE_NEWLINES) {
      const nl = gathered.lastIndexOf(NEWLINE, cut - 1);
      if (nl >= 0) cut = nl + 1;
    }
    if (cut < gathered.length) this.queue.unshift(gathered.subarray(cut));
    const piece = gathered.subarray(0, cut);
    this.queuedBytes -= piece.length;
    return piece;
  }

  /** Collects the rows that scrolled into the scrollback (final: no cursor can reach them); the next write erases them. */
  private harvest(): void {
    const buf = this.term.buffer.active;
    this.harvestRows(0, buf.baseY, false);
    this.harvestedTop = buf.baseY;
  }

  /** Collects the logical lines in rows [from, end); `closed` says no row after `end` continues them. */
  private harvestRows(from: number, end: number, closed: boolean): void {
    const buf = this.term.buffer.active;
    if (end <= from) {
      if (closed && this.pending !== null) {
        this.emit(this.pending);
        this.pending = null;
      }
      return;
    }
    const starts: number[] = [];
    for (let y = from; y < end; y++) if (y === from || !buf.getLine(y)?.isWrapped) starts.push(y);
    const continuesPending = this.pending !== null && buf.getLine(from)?.isWrapped === true;
    if (this.pending !== null && !continuesPending) {
      this.emit(this.pending);
      this.pending = null;
    }
    const lastIncomplete = !closed && end < buf.length && buf.getLine(end)?.isWrapped === true;
    const groups = starts.length;
    const complete = lastIncomplete ? groups - 1 : groups;
    for (let g = 0; g < groups; g++) {
      const from = starts[g]!;
      const to = g + 1 < groups ? starts[g + 1]! : end;
      const prefix = g === 0 && continuesPending ? this.pending! : '';
      if (g >= complete) {
        this.pending = joinRows(buf, from, to, false, prefix);
        continue;
      }
      const needed = this.total < HEAD_LINES || g >= complete - (TAIL_LINES + CAPTURE_ROWS);
      if (needed) this.emit(joinRows(buf, from, to, true, prefix));
      else this.skip(() => joinRows(buf, from, to, true, prefix));
      if (g === 0) this.pending = null;
    }
    if (closed && this.pending !== null) {
      this.emit(this.pending);
      this.pending = null;
    }
  }

  /** A line certain to be left out, on either path: only the expectations still need its text, so it is made only for them. */
  private skip(text: () => string): void {
    if (this.matchedOmitted.size < this.watch.length) this.omit(text());
    this.emit(SKIPPED_LINE);
  }

  private emit(line: string): void {
    if (this.total < HEAD_LINES) this.head.push(line);
    else {
      this.tail.push(line);
      // Room for the blank rows below the cursor, trimmed at the end.
      if (this.tail.length > TAIL_LINES + CAPTURE_ROWS) this.omit(this.tail.shift()!);
    }
    this.total++;
  }

  private trimTrailingBlankLines(): void {
    while (this.tail.length > 0 && this.tail[this.tail.length - 1]!.trim() === '') {
      this.tail.pop();
      this.total--;
    }
    if (this.tail.length === 0 && this.total === this.head.length) {
      while (this.head.length > 0 && this.head[this.head.length - 1]!.trim() === '') {
        this.head.pop();
        this.total--;
      }
    }
  }
}

/** Text of rows [from, to) as one line; the last row is right-trimmed (earlier rows are full by definition of wrapping). */
function joinRows(buf: IBuffer, from: number, to: number, complete: boolean, prefix: string): string {
  let text = prefix;
  for (let y = from; y < to && text.length < MAX_LINE_CHARS; y++) {
    const last = complete && y === to - 1;
    text += buf.getLine(y)?.translateToString(last) ?? '';
  }
  if (complete) text = text.trimEnd();
  return text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)} …` : text;
}

function plainLine(line: string): string {
  const text = (line.endsWith('\r') ? line.slice(0, -1) : line).trimEnd();
  return text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)} …` : text;
}

/** No escapes, no control characters but \n and \r\n (and, for the very end of output, a final \r before nothing). */
function isPlain(bytes: Uint8Array, allowPartialEnd: boolean): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x20 && b !== 0x7f) continue;
    if (b === NEWLINE) continue;
    if (b === CARRIAGE_RETURN && (bytes[i + 1] === NEWLINE || (allowPartialEnd && i === bytes.length - 1))) continue;
    return false;
  }
  return true;
}
