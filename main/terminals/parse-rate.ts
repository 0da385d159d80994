// How fast the renderer gets through a terminal's output, from samples of
// bytes acknowledged over the time the renderer was busy with them (flow
// control takes the samples: flow-control.ts). It lets the watermarks hold
// a bounded time of work instead of a fixed number of bytes: the same 4 MB
// is 0.1 s of coloured text for xterm.js and 0.6 s of `yes` (a line feed
// every two bytes, each a scroll), and what waits in the renderer when the
// user presses Ctrl+C is what delays the prompt.
//
// Only large samples count: a keystroke's echo is all fixed cost. Pure.

export interface ParseRateOptions {
  /** Samples smaller than this are ignored. */
  minSampleBytes: number;
  /** Weight of the past in the running estimate (0..1): each sample halves it at 0.5. */
  decay: number;
}

export const DEFAULT_PARSE_RATE: ParseRateOptions = { minSampleBytes: 256 * 1024, decay: 0.5 };

export class ParseRate {
  #bytes = 0;
  #ms = 0;

  constructor(private readonly options: ParseRateOptions = DEFAULT_PARSE_RATE) {}

  /** Bytes per second, or null before the first sample. */
  get bytesPerSecond(): number | null {
    return this.#ms > 0 ? (this.#bytes / this.#ms) * 1000 : null;
  }

  /** The renderer got through `bytes` in `busyMs` of busy time. */
  sample(bytes: number, busyMs: number): void {
    if (bytes < this.options.minSampleBytes || !(busyMs > 0)) return;
    this.#bytes = this.#bytes * this.options.decay + bytes;
    this.#ms = this.#ms * this.options.decay + busyMs;
  }
}
