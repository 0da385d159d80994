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
//
// Plain text (the bulk of big output) never reaches the emulator: see
// takePlainLines.

import type * as XtermHeadless from '@xterm/headless';
import type { Terminal as HeadlessTerminal, IBuffer } from '@xterm/headless';
import { lazyModule } from '../files/lazy-module.js';
import { EscapeState } from './escape-state.js';

/** Loaded the first time output needs the emulator: plain output never does. */
const xtermHeadless = lazyModule<typeof XtermHeadless>('@xterm/headless');

/** Terminal width used for capture: wide, so tables and long lines stay intact. */
export const CAPTURE_COLS = 500;
export const CAPTURE_ROWS = 50;
/** Lines kept from the start and from the end of long output. */
export const HEAD_LINES = 100;
export const TAIL_LINES = 100;
/** A single logical line longer than this is cut (memory bound for output without newlines). */
export const MAX_LINE_CHARS = 10_000;
/** A piece taken off the queue holds at most this many bytes (plain pieces are read in these). */
const MAX_PIECE_BYTES = 256 * 1024;
/**
 * Each terminal write holds at most this many bytes and newlines, so what it
 * scrolls (a row per newline, and at most one per CAPTURE_COLS bytes of
 * wrapped text: 131 rows) fits the scrollback before harvesting. The
 * emulator keeps every row it ever had up to the scrollback's size (erasing
 * the scrollback only drops references xterm goes on holding), 12 bytes a
 * cell: a scrollback of 8,000 rows held 48 MB per host running big coloured
 * output, 1.3 GB for a block on 20 hosts. This one holds 3.4 MB.
 */
const MAX_EMULATED_BYTES = 64 * 1024;
const MAX_PIECE_NEWLINES = 256;
const SCROLLBACK = 512;
/** Producers are asked to wait above HIGH_WATER queued bytes until it falls under LOW_WATER. */
const HIGH_WATER = 1 << 20;
const LOW_WATER = 256 * 1024;
/** Small chunks are gathered up to this size, or for at most this long, before a terminal write. */
const BATCH_BYTES = 128 * 1024;
const BATCH_WAIT_MS = 10;
const ERASE_SCROLLBACK = '\x1b[3J';
const CLEAR_SCREEN = '\x1b[2J\x1b[H';
/** Lines of plain text held as the screen would show them: the cursor sits on the empty row below. */
const SCREEN_LINES = CAPTURE_ROWS - 1;
/** Tail lines turned into text: room for the blank rows below the cursor, trimmed at the end. */
const TAIL_KEEP = TAIL_LINES + CAPTURE_ROWS;
/** Stands for a line that was never turned into text (plain output certain to be omitted); cannot occur in real text, which has no NUL. */
const SKIPPED_LINE = '\u0000';
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const NOT_PLAIN = -1;

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
  /** Wakes a drain that waits for the rest of a line (startOfALine). */
  private wakeMore: (() => void) | null = null;
  /** Chunks at the end of the queue known to hold no newline: startOfALine reads each chunk once, not once per write. */
  private plainTail = 0;
  /** Invalid UTF-8 shows as U+FFFD (xterm alone would drop the bytes silently); split characters survive piece boundaries. */
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  /** Whole lines of plain text, decoded one at a time. */
  private readonly lineDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  /** False while `decoder` may hold the first bytes of a character split across pieces. */
  private decoderClean = true;
  /** Where the emulator's parser is: plain mode may start only between sequences. */
  private readonly escapes = new EscapeState();
  /**
   * Plain-text mode: the last lines of plain output, as raw bytes without
   * their \n, standing in for the screen (they are not final: a cursor move
   * that follows could still change them). Null while the emulator holds the
   * screen. A fresh terminal is an empty screen, hence [] at the start.
   */
  private screen: Buffer[] | null = [];

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

  private get watching(): boolean {
    return this.matchedOmitted.size < this.watch.length;
  }

  /** Whether output needed the emulator (plain text never does): what a run's capture cost, for tests and diagnostics. */
  get emulated(): boolean {
    return this.termInstance !== null;
  }

  private get term(): HeadlessTerminal {
    this.termInstance ??= new (xtermHeadless().Terminal)({
      cols: this.cols,
      rows: CAPTURE_ROWS,
      scrollback: SCROLLBACK,
      // Output from non-pty transports may use bare \n; a pty's \r\n is unaffected.
      convertEol: true,
      allowProposedApi: true,
      // xterm logs a multi-line dump to stderr for every byte it ignores (DEL, stray C1);
      // binary output made megabytes of noise. What a terminal ignores, capture ignores.
      logLevel: 'off',
    });
    return this.termInstance;
  }

  /** Feeds raw output. Returns a promise when the producer should wait (flow control). */
  write(bytes: Uint8Array): void | Promise<void> {
    if (bytes.length === 0) return;
    // Copy: producers may reuse their buffers.
    const chunk = Buffer.from(bytes);
    this.queue.push(chunk);
    this.queuedBytes += bytes.length;
    this.plainTail = chunk.includes(NEWLINE) ? 0 : this.plainTail + 1;
    if (this.queuedBytes >= BATCH_BYTES) this.wakeBatch?.();
    this.wakeMore?.();
    this.pump ??= this.drain();
    if (this.queuedBytes > HIGH_WATER) return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Waits for everything written so far, then returns the text. The capture cannot be written to afterwards. */
  async finish(): Promise<CapturedText> {
    this.finishing = true;
    this.wakeBatch?.();
    this.wakeMore?.();
    while (this.pump) await this.pump;
    if (this.screen !== null) {
      // Nothing follows: the lines on the screen are final.
      this.takePlainLines(Buffer.alloc(0), 0, true);
    } else {
      const rest = this.decoder.decode();
      if (rest !== '') await this.writeToTerminal(rest);
    }
    if (this.termInstance) {
      if (this.screen === null) this.harvestRows(this.harvestedTop, this.termInstance.buffer.active.length, true);
      this.termInstance.dispose();
    }
    if (this.pending !== null) {
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
        if (this.startOfALine()) {
          await this.waitForMore();
          continue;
        }
        const { bytes, final } = this.nextPiece();
        const newlines = plainNewlines(bytes, final);
        if (newlines !== NOT_PLAIN && (final || bytes[bytes.length - 1] === NEWLINE) && this.plainModeFor(newlines, final)) {
          this.takePlainLines(bytes, newlines, final);
        } else {
          if (this.screen !== null) await this.leavePlainMode();
          await this.emulate(bytes);
        }
        if (this.queuedBytes <= LOW_WATER) this.releaseWaiters();
      }
    } finally {
      this.pump = null;
      this.releaseWaiters();
    }
  }

  /**
   * True when all that is queued is the start of a line whose rest has not
   * come yet (output is read as it arrives, often mid-line: over ssh, a line
   * cut by a packet). Taken alone it would be a piece without a newline, which
   * only the emulator can read, and plain output would then go through the
   * emulator (ten times slower) from there on. It waits for the rest, or for
   * the end; a line of MAX_PIECE_BYTES and more is read as it is.
   */
  private startOfALine(): boolean {
    if (this.finishing || this.queuedBytes >= MAX_PIECE_BYTES) return false;
    for (let i = this.queue.length - this.plainTail - 1; i >= 0; i--) {
      if (this.queue[i]!.includes(NEWLINE)) return false;
      this.plainTail++;
    }
    return true;
  }

  /** Until the next write, or the end. */
  private async waitForMore(): Promise<void> {
    await new Promise<void>((resolve) => (this.wakeMore = resolve));
    this.wakeMore = null;
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

  /** Emulated pieces are cut after MAX_PIECE_NEWLINES newlines, so the scrollback holds all they scroll. */
  private async emulate(piece: Uint8Array): Promise<void> {
    let bytes = piece;
    let newlines = 0;
    if (bytes.length > MAX_EMULATED_BYTES) bytes = this.putBack(bytes, MAX_EMULATED_BYTES);
    for (let i = bytes.indexOf(NEWLINE); i >= 0; i = bytes.indexOf(NEWLINE, i + 1)) {
      if (++newlines === MAX_PIECE_NEWLINES && i + 1 < bytes.length) {
        bytes = this.putBack(bytes, i + 1);
        break;
      }
    }
    this.decoderClean = bytes[bytes.length - 1]! < 0x80;
    this.escapes.feed(bytes);
    await this.writeToTerminal(this.decoder.decode(bytes, { stream: true }));
    this.harvest();
  }

  /** Bytes from `at` on go back to the front of the queue; the first `at` are returned. */
  private putBack(bytes: Uint8Array, at: number): Uint8Array {
    this.plainTail = 0;
    this.queue.unshift(bytes.subarray(at));
    this.queuedBytes += bytes.length - at;
    return bytes.subarray(0, at);
  }

  /** One terminal write; erasing the rows harvested last time travels with it (each write costs a timer turn). */
  private writeToTerminal(data: string): Promise<void> {
    const erase = this.harvestedTop > 0 ? ERASE_SCROLLBACK : '';
    this.harvestedTop = 0;
    return new Promise<void>((resolve) => this.term.write(erase + data, resolve));
  }

  /**
   * Plain text (no escapes, no bare carriage returns, no other control
   * characters) made of whole lines does the same thing on any terminal
   * whose cursor starts at the left of an empty screen bottom: each line is
   * itself, and once more lines than the screen holds have gone by, the
   * screen shows just the last ones. So plain pieces skip the emulator (which
   * parses about 10 MB/s at this width): the last screenful is kept as bytes
   * and written into the emulator only if something else follows.
   *
   * In plain mode any plain piece continues it. From the emulator, plain mode
   * starts when the cursor is at the left of an empty row with nothing below
   * it, and the piece has enough lines to push every row above it off the
   * screen (those rows are final then), or nothing follows at all.
   */
  private plainModeFor(newlines: number, final: boolean): boolean {
    if (this.screen !== null) return true;
    // Plain bytes right after a sequence cut short are the rest of it: the emulator must see them.
    if (!this.decoderClean || !this.escapes.ground || (!final && newlines < 2 * CAPTURE_ROWS)) return false;
    const term = this.term;
    const buf = term.buffer.active;
    if (buf.type !== 'normal' || buf.cursorX !== 0 || term.modes.insertMode || !term.modes.wraparoundMode) return false;
    const cursorRow = buf.baseY + buf.cursorY;
    if (buf.getLine(cursorRow)?.isWrapped) return false;
    for (let y = cursorRow; y < buf.length; y++) if (buf.getLine(y)?.translateToString(true) !== '') return false;
    this.harvestRows(this.harvestedTop, cursorRow, true);
    // The rest is blank; the next terminal write clears all of it.
    this.harvestedTop = cursorRow;
    this.screen = [];
    return true;
  }

  /** The emulator takes over the screen: it gets the held lines, as they were, on a cleared screen. */
  private async leavePlainMode(): Promise<void> {
    const lines = this.screen!;
    this.screen = null;
    if (lines.length === 0 && this.termInstance === null) return;
    const text = lines.map((l) => this.lineDecoder.decode(l)).join('\n');
    await this.writeToTerminal(CLEAR_SCREEN + text + (lines.length > 0 ? '\n' : ''));
    // Long lines among them may have wrapped into the scrollback: collect those rows before the next erase.
    this.harvest();
  }

  /**
   * Pushes a plain piece's lines (after the held screen lines) through: all
   * but the last SCREEN_LINES are final (all of them when `final`). Only the
   * lines that can end up in the head or the tail are turned into text; the
   * rest are counted (and read for the watched patterns while any is unmatched).
   */
  private takePlainLines(bytes: Uint8Array, newlines: number, final: boolean): void {
    const lines = new PlainLines(bytes, newlines, final);
    const held = this.screen!;
    const count = held.length + lines.count;
    const finalCount = final ? count : Math.max(0, count - SCREEN_LINES);
    const tailFrom = finalCount - TAIL_KEEP;
    let i = 0;
    for (; i < held.length && i < finalCount; i++) this.finalLine(held[i]!, i >= tailFrom);
    const screen = held.slice(i);
    // From here on the lines are this piece's: the head first, line by line.
    for (; i < finalCount && this.total < HEAD_LINES; i++) this.finalLine(lines.next(), i >= tailFrom);
    const middle = Math.min(finalCount, tailFrom) - i;
    if (middle > 0) {
      const region = lines.skip(middle);
      if (this.watching) {
        for (const line of this.lineDecoder.decode(region).split('\n')) {
          if (!this.watching) break;
          this.omit(plainLine(line));
        }
      }
      this.skipLines(middle);
      i += middle;
    }
    for (; i < finalCount; i++) this.finalLine(lines.next(), true);
    while (lines.remaining > 0) screen.push(Buffer.from(lines.next()));
    this.screen = screen;
  }

  private finalLine(bytes: Uint8Array, needed: boolean): void {
    if (needed || this.total < HEAD_LINES) this.emit(plainLine(this.lineDecoder.decode(bytes)));
    else this.skip(() => plainLine(this.lineDecoder.decode(bytes)));
  }

  /** `n` lines left out of the middle, already checked against the watched patterns: counted, not stored one by one. */
  private skipLines(n: number): void {
    if (n >= TAIL_KEEP) {
      for (const line of this.tail) this.omit(line);
      this.tail.length = 0;
      this.total += n - TAIL_KEEP;
      for (let k = 0; k < TAIL_KEEP; k++) this.emit(SKIPPED_LINE);
    } else {
      for (let k = 0; k < n; k++) this.emit(SKIPPED_LINE);
    }
  }

  private releaseWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  /**
   * Takes at most MAX_PIECE_BYTES bytes off the queue, joining small chunks
   * and ending after the last newline where there is one (the rest waits for
   * the rest of its line). `final`: nothing follows it.
   */
  private nextPiece(): { bytes: Uint8Array; final: boolean } {
    const parts = [this.queue.shift()!];
    let size = parts[0]!.length;
    while (size < MAX_PIECE_BYTES && this.queue.length > 0) {
      const more = this.queue.shift()!;
      parts.push(more);
      size += more.length;
    }
    const gathered = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    let cut = Math.min(gathered.length, MAX_PIECE_BYTES);
    const final = this.finishing && cut === gathered.length && this.queue.length === 0;
    if (!final) {
      const nl = gathered.lastIndexOf(NEWLINE, cut - 1);
      if (nl >= 0) cut = nl + 1;
    }
    // The front of the queue changed: what is known of its end is read again.
    this.plainTail = 0;
    if (cut < gathered.length) this.queue.unshift(gathered.subarray(cut));
    const piece = gathered.subarray(0, cut);
    this.queuedBytes -= piece.length;
    return { bytes: piece, final };
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
      const needed = this.total < HEAD_LINES || g >= complete - TAIL_KEEP;
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
    if (this.watching) this.omit(text());
    this.emit(SKIPPED_LINE);
  }

  private emit(line: string): void {
    if (this.total < HEAD_LINES) this.head.push(line);
    else {
      this.tail.push(line);
      if (this.tail.length > TAIL_KEEP) this.omit(this.tail.shift()!);
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

/**
 * The lines of a plain piece, handed out in order as byte ranges without
 * their \n; `skip` passes over many at once (one native search per line, no
 * copies). A final piece may end in a line without \n.
 */
class PlainLines {
  readonly count: number;
  private taken = 0;
  private at = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly newlines: number,
    final: boolean,
  ) {
    this.count = newlines + (final && bytes.length > 0 && bytes[bytes.length - 1] !== NEWLINE ? 1 : 0);
  }

  get remaining(): number {
    return this.count - this.taken;
  }

  next(): Uint8Array {
    const nl = this.bytes.indexOf(NEWLINE, this.at);
    const end = nl < 0 ? this.bytes.length : nl;
    const line = this.bytes.subarray(this.at, end);
    this.at = end + 1;
    this.taken++;
    return line;
  }

  /**
   * Passes over `n` lines and returns their bytes (joined by their \n). The
   * lines after them are few (a tail and a screen), so their start is found
   * from the end: no search per skipped line.
   */
  skip(n: number): Uint8Array {
    const from = this.at;
    this.taken += n;
    if (this.taken >= this.count) this.at = this.bytes.length + 1;
    else {
      // Line k starts after the k-th newline, which is the (newlines - k + 1)-th from the end.
      let nl = this.bytes.length;
      for (let k = this.newlines - this.taken + 1; k > 0; k--) nl = this.bytes.lastIndexOf(NEWLINE, nl - 1);
      this.at = nl + 1;
    }
    return this.bytes.subarray(from, Math.max(from, this.at - 1));
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

/**
 * The number of newlines when the bytes are plain text, else NOT_PLAIN. Plain:
 * no escapes, no control characters but \n and \r\n (and, at the very end of
 * output, a final \r before nothing), no C1 controls (U+0080–U+009F, which a
 * terminal obeys). Printable ASCII is skipped four bytes at a time; only
 * words holding something else are looked at byte by byte.
 */
function plainNewlines(bytes: Uint8Array, atEnd: boolean): number {
  let newlines = 0;
  const length = bytes.length;
  const pad = (4 - (bytes.byteOffset & 3)) & 3;
  // Fewer bytes than it takes to reach a word boundary: no words (a Uint32Array may only start on one).
  const aligned = Math.min(length, pad);
  const words = length > pad ? new Uint32Array(bytes.buffer, bytes.byteOffset + pad, (length - pad) >>> 2) : new Uint32Array(0);
  const wordsEnd = aligned + words.length * 4;
  for (let i = 0; i < aligned; i++) {
    const k = plainByte(bytes, i, atEnd);
    if (k === NOT_PLAIN) return NOT_PLAIN;
    newlines += k;
  }
  for (let w = 0; w < words.length; w++) {
    const x = words[w]!;
    // A byte lane gets its high bit set when the byte is ≥ 0x80, < 0x20 or 0x7f (carries only add false alarms).
    if (((x | ((x - 0x20202020) & ~x) | (x + 0x01010101)) & 0x80808080) === 0) continue;
    for (let i = aligned + w * 4, end = i + 4; i < end; i++) {
      const k = plainByte(bytes, i, atEnd);
      if (k === NOT_PLAIN) return NOT_PLAIN;
      newlines += k;
    }
  }
  for (let i = wordsEnd; i < length; i++) {
    const k = plainByte(bytes, i, atEnd);
    if (k === NOT_PLAIN) return NOT_PLAIN;
    newlines += k;
  }
  return newlines;
}

/** 1 for a newline, 0 for another byte plain text may hold, NOT_PLAIN for anything else. */
function plainByte(bytes: Uint8Array, i: number, atEnd: boolean): number {
  const b = bytes[i]!;
  if (b >= 0x20 && b < 0x7f) return 0;
  if (b === NEWLINE) return 1;
  if (b === 0xc2) {
    const next = bytes[i + 1];
    return next !== undefined && next >= 0x80 && next <= 0x9f ? NOT_PLAIN : 0;
  }
  if (b === CARRIAGE_RETURN) return bytes[i + 1] === NEWLINE || (atEnd && i === bytes.length - 1) ? 0 : NOT_PLAIN;
  return b < 0x80 ? NOT_PLAIN : 0;
}
