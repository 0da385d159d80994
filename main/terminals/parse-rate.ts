// How fast the renderer gets through a terminal's output, measured from its
// acknowledgements (it acknowledges after parsing), so the flow-control
// watermarks can hold a bounded time of work instead of a fixed number of
// bytes. The same 4 MB is 0.1 s of coloured text for xterm.js and 0.6 s of
// `yes` (one line feed every two bytes, each a scroll); what is waiting in
// the renderer when the user presses Ctrl+C is what delays the prompt.
//
// Only time the renderer was busy counts: from the moment it had bytes
// outstanding (or its previous acknowledgement) to the next
// acknowledgement. Gaps in which it waited for output are left out, so a
// slow producer does not pass for a slow renderer, and only large
// acknowledgements are samples: a keystroke's echo is all fixed cost.
// Pure: the caller passes the time.

export interface ParseRateOptions {
  /** Acknowledgements smaller than this are not samples. */
  minSampleBytes: number;
  /** Weight of the past in the running estimate (0..1): each sample halves it at 0.5. */
  decay: number;
}

export const DEFAULT_PARSE_RATE: ParseRateOptions = { minSampleBytes: 256 * 1024, decay: 0.5 };

export class ParseRate {
  #outstanding = 0;
  /** Start of the current busy spell: the later of its first send and the last acknowledgement. */
  #busySince = 0;
  #bytes = 0;
  #ms = 0;

  constructor(private readonly options: ParseRateOptions = DEFAULT_PARSE_RATE) {}

  /** Bytes per second, or null before the first sample. */
  get bytesPerSecond(): number | null {
    return this.#ms > 0 ? (this.#bytes / this.#ms) * 1000 : null;
  }

  sent(bytes: number, nowMs: number): void {
    if (this.#outstanding === 0) this.#busySince = nowMs;
    this.#outstanding += bytes;
  }

  acked(bytes: number, nowMs: number): void {
    const accepted = Math.min(bytes, this.#outstanding);
    const busyMs = nowMs - this.#busySince;
    if (accepted >= this.options.minSampleBytes && busyMs > 0) {
      this.#bytes = this.#bytes * this.options.decay + accepted;
      this.#ms = this.#ms * this.options.decay + busyMs;
    }
    this.#outstanding -= accepted;
    this.#busySince = nowMs;
  }
}
