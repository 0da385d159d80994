// Flow control in bytes between a pty and the renderer that parses its output.
//
// The host counts the bytes it has sent and not yet had acknowledged. Above
// the high watermark the pty must be paused (its kernel buffer then fills and
// the child blocks on write, so memory stays bounded); once acknowledgements
// bring the count below the low watermark it may resume. It only decides;
// the caller pauses and resumes.
//
// The watermarks follow the renderer's speed. Each acknowledgement is a
// sample of it: the bytes, over the time since the renderer had bytes
// outstanding or since the previous acknowledgement, whichever is later
// (gaps in which it waited for output are left out, so a slow producer does
// not pass for a slow renderer). watermarksFor turns the rate into
// watermarks between MIN_HIGH_WATERMARK and the configured ones.

import { ParseRate } from './parse-rate.js';

export interface Watermarks {
  /** Pause when more than this many bytes are unacknowledged. */
  high: number;
  /** Resume when the unacknowledged bytes fall below this. */
  low: number;
}

/**
 * The most flow control allows (watermarksFor lowers it for slow parsing).
 * Room for two of the batcher's largest batches (2 MB, sent in a flood): the
 * page parses one while the next waits, and the pty is read again as soon as
 * the first is acknowledged, so a third gathers while the second is parsed.
 * The low watermark is therefore well above one batch: a batch passes its
 * limit by up to one pty read, and with the low watermark at exactly one
 * batch (2 MB, until session 6) the 2.1 MB left after the first
 * acknowledgement kept the pty paused until the page had parsed everything;
 * it then waited for a whole new batch every second batch. The reference
 * designs pause at 100–500 KB (VS Code 100 K chars, Tabby 500 KB) with small
 * messages; with those, a page without a GPU spent a third of a flood idle
 * (measured: main thread busy 71%, 15.1 MB/s; with 2 MB batches 17.5 MB/s on
 * 50 MB). The bytes already sent are parsed before the prompt after a Ctrl+C;
 * 4 MB of `yes` took 0.3–0.4 s, hence watermarksFor.
 */
export const DEFAULT_WATERMARKS: Watermarks = { high: 4 * 1024 * 1024, low: 3 * 1024 * 1024 };

/**
 * The renderer should hold at most this much work: what it holds when the
 * user presses Ctrl+C is parsed before the prompt can show. Since the pty
 * resumes with one batch still in the page, the page holds one to two
 * batches, not zero to two, so the target sets the typical Ctrl+C delay more
 * than the worst. Measured (100 MB of coloured text; Ctrl+C after 1.5 s of
 * `yes`, p50 of 5, two runs each): 200 ms: 22–35 MB/s, Ctrl+C 154–180 ms;
 * 150 ms: 27–30.5 MB/s, 121–131 ms; 100 ms: 24–28 MB/s, 75–79 ms (coloured
 * text then gets 2.5–3 MB windows).
 */
export const BACKLOG_TARGET_MS = 150;
/** Below this the page would wait for each batch; the pause costs more than it saves. */
export const MIN_HIGH_WATERMARK = 512 * 1024;

/**
 * Watermarks for a renderer that parses `bytesPerSecond`: as many bytes as
 * it parses in BACKLOG_TARGET_MS, between MIN_HIGH_WATERMARK and `ceiling`
 * (the configured watermarks, also used before anything is measured).
 * Measured in headless Chromium on 2 cores without a GPU: coloured text goes
 * through the page at 16–26 MB/s (3.2–4 MB here; the pty was paused 15
 * times in 70 MB against 14 with 4 MB throughout), `yes` at about 7 MB/s
 * (about 1.4 MB: Ctrl+C → prompt p50 298 → 141 ms).
 */
export function watermarksFor(bytesPerSecond: number | null, ceiling: Watermarks = DEFAULT_WATERMARKS): Watermarks {
  if (bytesPerSecond === null || !Number.isFinite(bytesPerSecond)) return ceiling;
  const high = Math.round(Math.min(ceiling.high, Math.max(MIN_HIGH_WATERMARK, (bytesPerSecond * BACKLOG_TARGET_MS) / 1000)));
  if (high >= ceiling.high) return ceiling;
  return { high, low: Math.round((high * ceiling.low) / ceiling.high) };
}

export type FlowDecision = 'pause' | 'resume' | null;

export interface AckResult {
  decision: FlowDecision;
  /** Bytes acknowledged beyond what was outstanding (a renderer bug); they were ignored. */
  excess: number;
}

export class FlowControl {
  readonly #ceiling: Watermarks;
  #high: number;
  #low: number;
  #unacknowledged = 0;
  #paused = false;
  #rate = new ParseRate();
  /** When the renderer's current busy spell began: its first outstanding byte or the last acknowledgement. */
  #busySince = 0;

  /** `watermarks`: the most flow control allows, and what it starts with. `now`: milliseconds, for the rate. */
  constructor(
    watermarks: Watermarks = DEFAULT_WATERMARKS,
    private readonly now: () => number = () => performance.now(),
  ) {
    const { high, low } = watermarks;
    if (!(Number.isSafeInteger(high) && Number.isSafeInteger(low) && low >= 0 && low < high)) {
      throw new RangeError(`flow control needs integer watermarks with 0 <= low < high, got low=${low} high=${high}`);
    }
    this.#ceiling = watermarks;
    this.#high = high;
    this.#low = low;
  }

  get high(): number {
    return this.#high;
  }

  get low(): number {
    return this.#low;
  }

  /** The high watermark as a share of the configured one (1 until a slow renderer is measured). */
  get share(): number {
    return this.#high / this.#ceiling.high;
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
    if (this.#unacknowledged === 0) this.#busySince = this.now();
    this.#unacknowledged += bytes;
    if (!this.#paused && this.#unacknowledged > this.#high) {
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
    const now = this.now();
    this.#rate.sample(accepted, now - this.#busySince);
    this.#busySince = now;
    ({ high: this.#high, low: this.#low } = watermarksFor(this.#rate.bytesPerSecond, this.#ceiling));
    let decision: FlowDecision = null;
    if (this.#paused && this.#unacknowledged < this.#low) {
      this.#paused = false;
      decision = 'resume';
    }
    return { decision, excess: bytes - accepted };
  }
}
