// Flow control in bytes between a pty and the renderer that parses its output.
//
// The host counts the bytes it has sent and not yet had acknowledged. Above
// the high watermark the pty must be paused (its kernel buffer then fills and
// the child blocks on write, so memory stays bounded); once acknowledgements
// bring the count below the low watermark it may resume. Pure: it only
// decides; the caller pauses and resumes.

export interface Watermarks {
  /** Pause when more than this many bytes are unacknowledged. */
  high: number;
  /** Resume when the unacknowledged bytes fall below this. */
  low: number;
}

/**
 * Room for two of the batcher's largest batches (2 MB, sent in a flood): the
 * page can parse one while the next gathers instead of waiting for the pty to
 * be resumed. The reference designs pause at 100–500 KB (VS Code 100 K chars,
 * Tabby 500 KB) with small messages; with those, a page without a GPU spent a
 * third of a flood idle (measured: main thread busy 71%, 15.1 MB/s; with these
 * 17.5 MB/s on 50 MB). Ctrl+C in a flood still shows the prompt within about
 * 0.1 s (the bytes already sent are parsed first; `npm run bench:terminal`).
 */
export const DEFAULT_WATERMARKS: Watermarks = { high: 4 * 1024 * 1024, low: 2 * 1024 * 1024 };

export type FlowDecision = 'pause' | 'resume' | null;

export interface AckResult {
  decision: FlowDecision;
  /** Bytes acknowledged beyond what was outstanding (a renderer bug); they were ignored. */
  excess: number;
}

export class FlowControl {
  readonly high: number;
  readonly low: number;
  #unacknowledged = 0;
  #paused = false;

  constructor(watermarks: Watermarks = DEFAULT_WATERMARKS) {
    const { high, low } = watermarks;
    if (!(Number.isSafeInteger(high) && Number.isSafeInteger(low) && low >= 0 && low < high)) {
      throw new RangeError(`flow control needs integer watermarks with 0 <= low < high, got low=${low} high=${high}`);
    }
    this.high = high;
    this.low = low;
  }

  get unacknowledged(): number {
    return this.#unacknowledged;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Records bytes handed to the renderer; 'pause' when the pty must stop being read. */
  sent(bytes: number): FlowDecision {
    if (!(Number.isSafeInteger(bytes) && bytes >= 0)) throw new RangeError(`sent bytes must be a non-negative integer, got ${bytes}`);
    this.#unacknowledged += bytes;
    if (!this.#paused && this.#unacknowledged > this.high) {
      this.#paused = true;
      return 'pause';
    }
    return null;
  }

  /**
   * Records bytes the renderer has parsed. An ack larger than what is
   * outstanding is clamped (reported as `excess`) so a confused renderer can
   * never drive the count negative and unblock more than it received.
   */
  ack(bytes: number): AckResult {
    if (!(Number.isSafeInteger(bytes) && bytes >= 0)) throw new RangeError(`acknowledged bytes must be a non-negative integer, got ${bytes}`);
    const accepted = Math.min(bytes, this.#unacknowledged);
    this.#unacknowledged -= accepted;
    let decision: FlowDecision = null;
    if (this.#paused && this.#unacknowledged < this.low) {
      this.#paused = false;
      decision = 'resume';
    }
    return { decision, excess: bytes - accepted };
  }
}
