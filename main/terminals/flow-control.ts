// Flow control in bytes between a pty and the renderer that parses its output.
//
// The host counts the bytes it has sent and not yet had acknowledged. Once
// they reach the high watermark the pty must be paused (its kernel buffer
// then fills and the child blocks on write, so memory stays bounded); once
// acknowledgements bring the count below the low watermark it may resume. It
// only decides; OutputFlow pauses and resumes, and sends no more than `room`.
//
// The watermarks hold about BACKLOG_TARGET_MS of the renderer's work, since
// that work is what delays the prompt after a Ctrl+C. They follow the
// renderer's measured speed (parse-rate.ts), what it shows of itself while
// late with a batch, and a slow start in each new spell of output (#resize).
// Until something is measured flow control assumes a slow renderer. The
// first sizing measured only acknowledgements of 256 KB or more, which an
// idle machine never produced (`yes` arrives in 4 KB reads), and started at
// the configured 4 MB: on an idle machine Ctrl+C in `yes` took over a second.

import { ParseRate } from './parse-rate.js';

export interface Watermarks {
  /** Pause once this many bytes are unacknowledged. */
  high: number;
  /** Resume when the unacknowledged bytes fall below this. */
  low: number;
}

/**
 * The most flow control allows (a fast renderer, coloured text). Room for two
 * of the batcher's largest batches (2 MB, sent in a flood): the page parses
 * one while the next waits, and the pty is read again as soon as the first
 * is acknowledged (low is 3/4 of high), so a third gathers while the second
 * is parsed. The reference designs pause at 100–500 KB (VS Code 100 K chars,
 * Tabby 500 KB) with small messages; with those, a page without a GPU spent
 * a third of a flood idle (measured: main thread busy 71%, 15.1 MB/s; with
 * 2 MB batches 17.5 MB/s on 50 MB).
 */
export const DEFAULT_WATERMARKS: Watermarks = { high: 4 * 1024 * 1024, low: 3 * 1024 * 1024 };

/**
 * The renderer should hold at most this much work: what it holds when the
 * user presses Ctrl+C is parsed before the prompt can show. The page holds
 * between a half and a whole window. Measured with the first sizing (100 MB of
 * coloured text; Ctrl+C after 1.5 s of `yes`, p50 of 5, two runs each):
 * 200 ms: 22–35 MB/s, Ctrl+C 154–180 ms; 150 ms: 27–30.5 MB/s, 121–131 ms;
 * 100 ms: 24–28 MB/s, 75–79 ms (coloured text then gets 2.5–3 MB windows).
 */
export const BACKLOG_TARGET_MS = 150;
/**
 * A renderer that ran out of work and gets the next batch within this long
 * was waiting for the pty to be read again (after a resume, or between a
 * producer's bursts); after longer, the output had stopped, and what comes
 * next (a new command's) starts a new spell. Keystrokes come further apart.
 */
const SPELL_GAP_MS = 50;
/**
 * The smallest window, and the first of every spell. Small enough that a
 * page parsing 0.5 MB/s (a Playwright-driven page on a loaded machine) holds
 * 130 ms of it; a fast page leaves it within a few round trips (slow start).
 */
export const MIN_HIGH_WATERMARK = 64 * 1024;

/**
 * Watermarks for a renderer that parses `bytesPerSecond`: as many bytes as
 * it parses in BACKLOG_TARGET_MS, between MIN_HIGH_WATERMARK and `ceiling`
 * (the configured watermarks); the floor before anything is measured.
 * Measured in headless Chromium on 2 cores without a GPU (traced from the
 * host): coloured text goes through the page at 18–30 MB/s (2.7–4 MB
 * windows), plain `yes` at about 3 MB/s (about 450 KB).
 */
export function watermarksFor(bytesPerSecond: number | null, ceiling: Watermarks = DEFAULT_WATERMARKS): Watermarks {
  const wanted = bytesPerSecond === null || !Number.isFinite(bytesPerSecond) ? 0 : (bytesPerSecond * BACKLOG_TARGET_MS) / 1000;
  const high = Math.round(Math.min(ceiling.high, Math.max(MIN_HIGH_WATERMARK, wanted)));
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
  /** When the renderer last had news for the rate: its first outstanding byte, or the last acknowledgement. */
  #busySince = 0;
  /** Bytes ever sent and ever acknowledged: positions in the stream. */
  #sentTotal = 0;
  #ackedTotal = 0;
  /** Where each batch not yet wholly acknowledged ends, oldest first (from #endsHead on). */
  #ends: number[] = [];
  #endsHead = 0;
  /** What the renderer had acknowledged when its current spell of work began. */
  #spellFrom = 0;
  /** Flow control resumed the pty and nothing was sent since: a renderer out of work now waits for us, not for the output. */
  #refilling = false;
  /** When the renderer last ran out of work. */
  #dryAt = -Infinity;

  /** `watermarks`: the most flow control allows. `now`: milliseconds, for the rate. */
  constructor(
    watermarks: Watermarks = DEFAULT_WATERMARKS,
    private readonly now: () => number = () => performance.now(),
  ) {
    const { high, low } = watermarks;
    if (!(Number.isSafeInteger(high) && Number.isSafeInteger(low) && low >= 0 && low < high)) {
      throw new RangeError(`flow control needs integer watermarks with 0 <= low < high, got low=${low} high=${high}`);
    }
    this.#ceiling = watermarks;
    ({ high: this.#high, low: this.#low } = watermarksFor(null, watermarks));
  }

  get high(): number {
    return this.#high;
  }

  get low(): number {
    return this.#low;
  }

  get unacknowledged(): number {
    return this.#unacknowledged;
  }

  /** The renderer's measured parse rate in bytes per second, null before the first measurement. */
  get rate(): number | null {
    return this.#rate.bytesPerSecond;
  }

  /** Bytes that may be sent before the high watermark is reached. */
  get room(): number {
    return Math.max(0, this.#high - this.#unacknowledged);
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Records bytes handed to the renderer; 'pause' when the pty must stop being read. */
  sent(bytes: number): FlowDecision {
    if (!(Number.isSafeInteger(bytes) && bytes >= 0)) throw new RangeError(`sent bytes must be a non-negative integer, got ${bytes}`);
    const now = this.now();
    if (this.#unacknowledged === 0) {
      this.#busySince = now;
      // The page ran out of work a moment ago (the pty was paused, or is read in bursts): the same spell goes on.
      if (now - this.#dryAt > SPELL_GAP_MS) {
        this.#spellFrom = this.#ackedTotal;
        this.#rate.idle();
      }
    }
    this.#refilling = false;
    this.#unacknowledged += bytes;
    this.#sentTotal += bytes;
    if (bytes > 0) this.#ends.push(this.#sentTotal);
    this.#resize(now);
    if (!this.#paused && this.#unacknowledged >= this.#high) {
      this.#paused = true;
      return 'pause';
    }
    return null;
  }

  /**
   * Records bytes the renderer has parsed; 'resume' when the pty may be read
   * again, 'pause' when the watermarks fell below what is outstanding. An ack
   * larger than what is outstanding is clamped (reported as `excess`) so a
   * confused renderer can never drive the count negative and unblock more
   * than it received.
   */
  ack(bytes: number): AckResult {
    if (!(Number.isSafeInteger(bytes) && bytes >= 0)) throw new RangeError(`acknowledged bytes must be a non-negative integer, got ${bytes}`);
    const accepted = Math.min(bytes, this.#unacknowledged);
    this.#unacknowledged -= accepted;
    this.#ackedTotal += accepted;
    while (this.#endsHead < this.#ends.length && this.#ends[this.#endsHead]! <= this.#ackedTotal) this.#endsHead++;
    if (this.#endsHead > 64 && this.#endsHead * 2 > this.#ends.length) {
      this.#ends = this.#ends.slice(this.#endsHead);
      this.#endsHead = 0;
    }
    const now = this.now();
    this.#rate.busy(accepted, now - this.#busySince);
    if (this.#unacknowledged === 0) {
      this.#dryAt = now;
      // Out of work while the pty was held back is flow control's doing, not a renderer faster than the output.
      if (!this.#paused && !this.#refilling) this.#rate.idle();
    }
    this.#busySince = now;
    this.#resize(now);
    let decision: FlowDecision = null;
    if (this.#paused && this.#unacknowledged < this.#low) {
      this.#paused = false;
      this.#refilling = true;
      decision = 'resume';
    } else if (!this.#paused && this.#unacknowledged >= this.#high) {
      // The renderer turned out slower than thought: what it holds is already a full window.
      this.#paused = true;
      decision = 'pause';
    }
    return { decision, excess: bytes - accepted };
  }

  /**
   * The watermarks: the least of these three.
   * - The measured rate's (watermarksFor).
   * - What the renderer shows of itself now, if that is slower: it has not
   *   finished its oldest batch, so since its last acknowledgement it parsed
   *   less than what was left of that batch. That bound needs no new
   *   measurement, so output that parses far slower than the last measured
   *   kind (plain `yes` after coloured text) is held back as soon as the
   *   renderer is late with it. (An average since the spell began is no
   *   bound: the page also waits for refills in it, and windows sized by it
   *   grew by a few KB a batch; a 200 MB cat ran 12% slower.)
   * - A spell starts small and grows with what the renderer gets through in
   *   it (the floor plus twice what it acknowledged), as TCP's slow start
   *   does after an idle spell: each command's output is a new kind, and a
   *   stale rate let a fast producer send a whole 4 MB window of output that
   *   parses thirty times slower before anything could be measured.
   */
  #resize(now: number): void {
    let rate = this.#rate.bytesPerSecond;
    if (rate !== null && this.#unacknowledged > 0 && this.#endsHead < this.#ends.length) {
      const sinceAck = now - this.#busySince;
      if (sinceAck > 0) rate = Math.min(rate, ((this.#ends[this.#endsHead]! - this.#ackedTotal) * 1000) / sinceAck);
    }
    const watermarks = watermarksFor(rate, this.#ceiling);
    const inSpell = this.#unacknowledged > 0 || now - this.#dryAt <= SPELL_GAP_MS;
    const start = MIN_HIGH_WATERMARK + 2 * (inSpell ? this.#ackedTotal - this.#spellFrom : 0);
    if (start < watermarks.high) {
      this.#high = start;
      this.#low = Math.round((start * this.#ceiling.low) / this.#ceiling.high);
    } else {
      ({ high: this.#high, low: this.#low } = watermarks);
    }
  }
}
