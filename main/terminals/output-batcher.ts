// Joins pty output chunks into fewer, larger messages. After a quiet spell the
// first chunk goes out at once (a keystroke's echo must not wait for company:
// latency), and so does the first chunk after input was written, even inside
// a window (fast typing); chunks that follow within the window are joined and
// go out when it ends, or as soon as the batch grows past a size limit.
// Bytes are kept as bytes, never decoded.
//
// The window adapts. Light output (a log tail, a ping) keeps the short one.
// In a flood, each window that fills with at least `floodBytes`, or that
// ends while the receiver still has `floodBytes` of earlier batches to get
// through, doubles the next one, up to `maxDelayMs`. The second rule makes
// the flood the receiver's, not the producer's: on an idle machine `yes`
// reaches the host in 4 KB reads, 20–40 KB per 5 ms window, never a flood
// by the first rule, and the page got through those small messages at
// 0.7 MB/s where it parsed 200 KB batches of the same `yes` at 3 MB/s (host
// trace). A receiver that is behind gains nothing from getting bytes sooner.
// Why large messages: the page draws a frame whenever it has
// nothing to parse, and in a browser without a GPU a frame costs far more
// than the parsing between two of them. Fewer, larger messages keep the
// parser busy and the frames few: measured on the 2-core CI machine with the
// DOM renderer, 50 MB of mixed output went from 5.3 MB/s (fixed 5 ms / 64 KB
// windows) to 15–17 MB/s (see the README's performance section). A flood is
// unreadable while it scrolls, so ten updates a second lose nothing.
// A flow-control pause is not the end of a flood: windows that end while the
// pty is paused keep their length, and the first chunk after the resume opens
// a full window instead of going out alone. Before, each pause was followed
// by a run of small messages while the window grew back from 5 ms, and the
// page spent half of a 50 MB cat waiting for bytes between them.

import { systemClock, type Clock } from './clock.js';

export interface BatchOptions {
  /** The window after a quiet spell or input: how long chunks after a sent one may wait for company. */
  delayMs: number;
  /** The longest window, reached in a sustained flood. */
  maxDelayMs: number;
  /** A window that gathered at least this many bytes was part of a flood: the next one is twice as long. */
  floodBytes: number;
  /** Flush at once when a batch reaches this many bytes. */
  maxBytes: number;
  /** For this long after input into a flood (Ctrl+C, q) the window stays short: what the user typed changes what comes next. */
  afterInputMs: number;
}

/** What the batcher knows of the receiver: flow control's counts. */
export interface ReceiverState {
  /** Bytes of earlier batches the receiver has not acknowledged yet. */
  backlog(): number;
  /** Bytes that may go out now before flow control's high watermark is reached. */
  room(): number;
}

const UNLIMITED: ReceiverState = { backlog: () => 0, room: () => Infinity };

export const DEFAULT_BATCH: BatchOptions = { delayMs: 5, maxDelayMs: 100, floodBytes: 64 * 1024, maxBytes: 2 * 1024 * 1024, afterInputMs: 1000 };

export class OutputBatcher {
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  /** Pending while a window is open, i.e. something was sent less than the current window ago. */
  #timer: unknown = null;
  #windowMs: number;
  /** Bytes gathered since the current window opened. */
  #windowBytes = 0;
  #awaitingEcho = false;
  #inputAt = -Infinity;
  /** The pty is paused by flow control: the flood is held back, not over. */
  #held = false;
  #disposed = false;
  #maxBytes: number;

  /** `receiver`: flow control's view of the page. `clock`: the timers of the windows. */
  constructor(
    private readonly emit: (batch: Buffer) => void,
    private readonly options: BatchOptions = DEFAULT_BATCH,
    private readonly receiver: ReceiverState = UNLIMITED,
    private readonly clock: Clock = systemClock,
  ) {
    this.#windowMs = options.delayMs;
    this.#maxBytes = options.maxBytes;
  }

  /** Lowers the batch size limit to `bytes` (never above the configured one): flow control sizes it to its window. */
  limitBytes(bytes: number): void {
    this.#maxBytes = Math.max(1, Math.min(this.options.maxBytes, Math.floor(bytes)));
  }

  get pendingBytes(): number {
    return this.#bytes;
  }

  /** The current batching window in milliseconds (grows in a flood). */
  get windowMs(): number {
    return this.#windowMs;
  }

  /** Input went to the pty: its echo (the next chunk) is sent without waiting, and the window is short again. */
  inputWritten(): void {
    // Only input into a flood: the Enter that starts a `cat` must not keep its first second in small batches.
    if (this.#held || this.#windowMs > this.options.delayMs) this.#inputAt = this.clock.now();
    this.#awaitingEcho = true;
    this.#windowMs = this.options.delayMs;
  }

  /**
   * Input came into a flood a moment ago: windows stay short and a resume
   * sends at once. Why: after Ctrl+C in a paused flood the last bytes and the
   * prompt waited for the window the resume opened (up to 100 ms), and the
   * window grew back within 75 ms because the page was still behind.
   */
  #typing(): boolean {
    return this.clock.now() - this.#inputAt < this.options.afterInputMs;
  }

  /**
   * Flow control paused the pty. A window that ends while it is paused
   * gathered little because the page is behind, not because the output
   * calmed down: the flood's window is kept, not reset.
   */
  hold(): void {
    this.#held = true;
  }

  /**
   * The pty is read again. In a flood a window opens now, at the flood's
   * length, so the first chunks after the resume are joined instead of the
   * first going out alone: otherwise every pause would be followed by a run
   * of small messages while the window grew back, and the page would wait
   * for bytes between them (measured: idle half the time). If nothing comes
   * within it, the window ends light and the next output goes at once.
   */
  release(): void {
    if (!this.#held) return;
    this.#held = false;
    if (this.#timer !== null) return;
    if (this.#windowMs > this.options.delayMs && !this.#typing()) this.#openWindow();
    else this.#send('all');
  }

  /**
   * Flow control has room again (an acknowledgement) without a resume: what
   * waits here goes now if it fills a batch, or at once after a quiet spell.
   * Without this, bytes held back for want of room waited for the window's
   * end (up to 100 ms) with the pty paused and the page idle.
   */
  roomChanged(): void {
    if (this.#disposed) return;
    this.#send(this.#timer === null ? 'all' : 'full');
  }

  push(chunk: Uint8Array): void {
    if (this.#disposed || chunk.byteLength === 0) return;
    this.#chunks.push(chunk);
    this.#bytes += chunk.byteLength;
    this.#windowBytes += chunk.byteLength;
    const echo = this.#awaitingEcho;
    this.#awaitingEcho = false;
    if (echo || this.#timer === null) this.#send('all');
    else if (this.#bytes >= this.#maxBytes) this.#send('full');
  }

  #openWindow(): void {
    this.#windowBytes = 0;
    this.#timer = this.clock.setTimeout(() => {
      this.#timer = null;
      const flood = !this.#typing() && (this.#windowBytes >= this.options.floodBytes || this.#held || this.receiver.backlog() >= this.options.floodBytes);
      this.#windowMs = flood ? Math.min(this.#windowMs * 2, this.options.maxDelayMs) : this.options.delayMs;
      // What gathered in the window goes now, and opens the next window.
      this.#send('all');
    }, this.#windowMs);
  }

  /** Sends everything gathered, whatever flow control says (the pty exited, the terminal closes). */
  flush(): void {
    this.#send('everything');
  }

  /**
   * Sends what gathered in batches of at most the size limit, and never more
   * than flow control has room for: the rest waits here for the resume (one
   * or two pty reads at most, since the pty is paused when the room runs
   * out), so the page never holds more than the high watermark. 'full' sends
   * only whole batches. Batches are cut at exactly their size (bytes are
   * bytes: xterm keeps a UTF-8 or escape sequence cut between two writes).
   * Why exact: before, a batch passed its limit by up to one pty read (64
   * KB), which is half of a small window, and two batches and the next read
   * put the page 1.5 windows behind.
   */
  #send(what: 'full' | 'all' | 'everything'): void {
    if (this.#bytes === 0) return;
    let room = what === 'everything' ? Infinity : this.receiver.room();
    const batches: Buffer[] = [];
    while (this.#bytes > 0 && room > 0) {
      const limit = Math.min(this.#maxBytes, room);
      if (what === 'full' && this.#bytes < limit) break;
      const batch = this.#take(Math.min(limit, this.#bytes));
      room -= batch.byteLength;
      batches.push(batch);
    }
    if (batches.length === 0) return;
    if (this.#timer !== null) this.clock.clearTimeout(this.#timer);
    this.#openWindow();
    for (const batch of batches) this.emit(batch);
  }

  /** The first `n` gathered bytes, as one buffer (no copy when they are one chunk). */
  #take(n: number): Buffer {
    const parts: Uint8Array[] = [];
    let taken = 0;
    while (taken < n) {
      const chunk = this.#chunks[0]!;
      const wanted = n - taken;
      if (chunk.byteLength <= wanted) {
        parts.push(chunk);
        this.#chunks.shift();
        taken += chunk.byteLength;
      } else {
        parts.push(chunk.subarray(0, wanted));
        this.#chunks[0] = chunk.subarray(wanted);
        taken = n;
      }
    }
    this.#bytes -= n;
    const first = parts[0]!;
    return parts.length === 1 ? Buffer.from(first.buffer, first.byteOffset, first.byteLength) : Buffer.concat(parts, n);
  }

  /** Flushes what is pending, then ignores further chunks. */
  dispose(): void {
    this.flush();
    if (this.#timer !== null) this.clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#disposed = true;
  }
}
