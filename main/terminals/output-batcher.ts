// Joins pty output chunks into fewer, larger messages. After a quiet spell the
// first chunk goes out at once (a keystroke's echo must not wait for company:
// latency), and so does the first chunk after input was written, even inside
// a window (fast typing); chunks that follow within the window are joined and
// go out when it ends, or as soon as the batch grows past a size limit
// (throughput). Bytes are kept as bytes, never decoded.

export interface BatchOptions {
  /** The batching window: how long chunks after a sent one may wait for company. */
  delayMs: number;
  /** Flush at once when a batch reaches this many bytes. */
  maxBytes: number;
}

export const DEFAULT_BATCH: BatchOptions = { delayMs: 5, maxBytes: 64 * 1024 };

export class OutputBatcher {
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  #timer: NodeJS.Timeout | null = null;
  /** True while a window is open, i.e. something was sent less than delayMs ago. */
  #windowOpen = false;
  #awaitingEcho = false;
  #disposed = false;

  constructor(
    private readonly emit: (batch: Buffer) => void,
    private readonly options: BatchOptions = DEFAULT_BATCH,
  ) {}

  get pendingBytes(): number {
    return this.#bytes;
  }

  /** Input went to the pty: its echo (the next chunk) is sent without waiting for the window. */
  inputWritten(): void {
    this.#awaitingEcho = true;
  }

  push(chunk: Uint8Array): void {
    if (this.#disposed || chunk.byteLength === 0) return;
    this.#chunks.push(chunk);
    this.#bytes += chunk.byteLength;
    const echo = this.#awaitingEcho;
    this.#awaitingEcho = false;
    if (echo || !this.#windowOpen || this.#bytes >= this.options.maxBytes) this.flush();
  }

  #openWindow(): void {
    this.#windowOpen = true;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#windowOpen = false;
      // What gathered in the window goes now, and opens the next window.
      if (this.#bytes > 0) this.flush();
    }, this.options.delayMs);
  }

  flush(): void {
    if (this.#bytes === 0) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#openWindow();
    const first = this.#chunks[0]!;
    const batch = this.#chunks.length === 1 ? Buffer.from(first.buffer, first.byteOffset, first.byteLength) : Buffer.concat(this.#chunks, this.#bytes);
    this.#chunks = [];
    this.#bytes = 0;
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
