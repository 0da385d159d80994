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
  #disposed = false;

  constructor(
    private readonly emit: (batch: Buffer) => void,
    private readonly options: BatchOptions = DEFAULT_BATCH,
  ) {
    this.#windowMs = options.delayMs;
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

  push(chunk: Uint8Array): void {
    if (this.#disposed || chunk.byteLength === 0) return;
    this.#chunks.push(chunk);
    this.#bytes += chunk.byteLength;
    this.#windowBytes += chunk.byteLength;
    const echo = this.#awaitingEcho;
    this.#awaitingEcho = false;
    if (echo || this.#timer === null || this.#bytes >= this.options.maxBytes) this.flush();
  }

  #openWindow(): void {
    this.#windowBytes = 0;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      const flood = this.#windowBytes >= this.options.floodBytes;
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
