// Joins pty output chunks into fewer, larger messages. After a quiet spell the
// first chunk goes out at once (a keystroke's echo must not wait for company:
// latency), and so does the first chunk after input was written, even inside
// a window (fast typing); chunks that follow within the window are joined and
// go out when it ends, or as soon as the batch grows past a size limit.
// Bytes are kept as bytes, never decoded.
//
// The window adapts. Light output (a log tail, a ping) keeps the short one.
// In a flood, each window that fills with at least `floodBytes` doubles the
// next one, up to `maxDelayMs`. Why: the page draws a frame whenever it has
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

export interface BatchOptions {
  /** The window after a quiet spell or input: how long chunks after a sent one may wait for company. */
  delayMs: number;
  /** The longest window, reached in a sustained flood. */
  maxDelayMs: number;
  /** A window that gathered at least this many bytes was part of a flood: the next one is twice as long. */
  floodBytes: number;
  /** Flush at once when a batch reaches this many bytes. */
  maxBytes: number;
}

export const DEFAULT_BATCH: BatchOptions = { delayMs: 5, maxDelayMs: 100, floodBytes: 64 * 1024, maxBytes: 2 * 1024 * 1024 };

export class OutputBatcher {
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  /** Pending while a window is open, i.e. something was sent less than the current window ago. */
  #timer: NodeJS.Timeout | null = null;
  #windowMs: number;
  /** Bytes gathered since the current window opened. */
  #windowBytes = 0;
  #awaitingEcho = false;
  /** The pty is paused by flow control: the flood is held back, not over. */
  #held = false;
  #disposed = false;
  #maxBytes: number;

  constructor(
    private readonly emit: (batch: Buffer) => void,
    private readonly options: BatchOptions = DEFAULT_BATCH,
  ) {
    this.#windowMs = options.delayMs;
    this.#maxBytes = options.maxBytes;
  }

  /** Scales the batch size limit to `share` (0..1] of the configured one: flow control keeps two batches in flight. */
  scaleMaxBytes(share: number): void {
    this.#maxBytes = Math.max(1, Math.floor(this.options.maxBytes * Math.min(1, share)));
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
    this.#awaitingEcho = true;
    this.#windowMs = this.options.delayMs;
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
    if (this.#timer === null && this.#windowMs > this.options.delayMs) this.#openWindow();
  }

  push(chunk: Uint8Array): void {
    if (this.#disposed || chunk.byteLength === 0) return;
    this.#chunks.push(chunk);
    this.#bytes += chunk.byteLength;
    this.#windowBytes += chunk.byteLength;
    const echo = this.#awaitingEcho;
    this.#awaitingEcho = false;
    if (echo || this.#timer === null || this.#bytes >= this.#maxBytes) this.flush();
  }

  #openWindow(): void {
    this.#windowBytes = 0;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      const flood = this.#windowBytes >= this.options.floodBytes || this.#held;
      this.#windowMs = flood ? Math.min(this.#windowMs * 2, this.options.maxDelayMs) : this.options.delayMs;
      // What gathered in the window goes now, and opens the next window.
      if (this.#bytes > 0) this.flush();
    }, this.#windowMs);
  }

  flush(): void {
    if (this.#bytes === 0) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    const first = this.#chunks[0]!;
    const batch = this.#chunks.length === 1 ? Buffer.from(first.buffer, first.byteOffset, first.byteLength) : Buffer.concat(this.#chunks, this.#bytes);
    this.#chunks = [];
    this.#bytes = 0;
    this.#openWindow();
    this.emit(batch);
  }

  /** Flushes what is pending, then ignores further chunks. */
  dispose(): void {
    this.flush();
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#disposed = true;
  }
}
