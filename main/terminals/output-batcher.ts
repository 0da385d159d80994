// Joins pty output chunks into fewer, larger messages: a batch goes out when
// its timer fires (a few milliseconds after the first chunk) or as soon as it
// grows past a size limit. Bytes are kept as bytes, never decoded.

export interface BatchOptions {
  /** How long the first chunk of a batch may wait for company. */
  delayMs: number;
  /** Flush at once when a batch reaches this many bytes. */
  maxBytes: number;
}

export const DEFAULT_BATCH: BatchOptions = { delayMs: 5, maxBytes: 64 * 1024 };

export class OutputBatcher {
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  #timer: NodeJS.Timeout | null = null;
  #disposed = false;

  constructor(
    private readonly emit: (batch: Buffer) => void,
    private readonly options: BatchOptions = DEFAULT_BATCH,
  ) {}

  get pendingBytes(): number {
    return this.#bytes;
  }

  push(chunk: Uint8Array): void {
    if (this.#disposed || chunk.byteLength === 0) return;
    this.#chunks.push(chunk);
    this.#bytes += chunk.byteLength;
    if (this.#bytes >= this.options.maxBytes) {
      this.flush();
    } else if (this.#timer === null) {
      this.#timer = setTimeout(() => this.flush(), this.options.delayMs);
    }
  }

  flush(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#bytes === 0) return;
    const first = this.#chunks[0]!;
    const batch = this.#chunks.length === 1 ? Buffer.from(first.buffer, first.byteOffset, first.byteLength) : Buffer.concat(this.#chunks, this.#bytes);
    this.#chunks = [];
    this.#bytes = 0;
    this.emit(batch);
  }

  /** Flushes what is pending, then ignores further chunks. */
  dispose(): void {
    this.flush();
    this.#disposed = true;
  }
}
