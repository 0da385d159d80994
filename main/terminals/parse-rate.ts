// How fast the renderer gets through a terminal's output, from samples of
// bytes acknowledged over the time the renderer was busy with them (flow
// control takes the samples: flow-control.ts). It lets the watermarks hold
// a bounded time of work instead of a fixed number of bytes: the same 4 MB
// is 0.1 s of coloured text for xterm.js and over a second of `yes` (a line
// feed every two bytes, each a scroll), and what waits in the renderer when
// the user presses Ctrl+C is what delays the prompt.
//
// A measurement is a busy spell: acknowledgements that follow one another
// while the renderer never ran out of work. Their bytes and times add up
// until the spell holds `minSampleBytes`; that sum is one sample. Why a sum
// and not each acknowledgement: how large one acknowledgement is depends on
// the producer, not the renderer. On an idle machine the pty is read in 4 KB
// pieces and a 5 ms window gathers 20–40 KB, so no single acknowledgement
// was ever large enough to count, nothing was measured, and a slow page was
// sent the full 4 MB (Ctrl+C in `yes` → prompt: about a second). A spell
// that ends before it holds enough (the renderer caught up: a keystroke's
// echo, a short listing) says only that the renderer was faster than the
// output, and is dropped. Pure.

export interface ParseRateOptions {
  /** A spell is a sample once it holds this many bytes. */
  minSampleBytes: number;
  /** Weight of the past in the running estimate (0..1): each sample halves it at 0.5. */
  decay: number;
}

/**
 * How much slower than the estimate a sample must be to be taken as a new
 * kind of output. Samples of one kind vary by less (frames, garbage
 * collection: 12–20 MB/s for the bench's coloured text); kinds differ by
 * more (that text at 18 MB/s, plain `yes` at 3 MB/s in the same page).
 * Believing every slow sample at once cost a 200 MB cat 15% of its speed.
 */
const CHANGE_OF_KIND = 3;

export const DEFAULT_PARSE_RATE: ParseRateOptions = { minSampleBytes: 64 * 1024, decay: 0.5 };

export class ParseRate {
  #bytes = 0;
  #ms = 0;
  /** The busy spell being gathered, not yet a sample. */
  #spellBytes = 0;
  #spellMs = 0;

  constructor(private readonly options: ParseRateOptions = DEFAULT_PARSE_RATE) {}

  /** Bytes per second, or null before the first sample. */
  get bytesPerSecond(): number | null {
    return this.#ms > 0 ? (this.#bytes / this.#ms) * 1000 : null;
  }

  /** The renderer got through `bytes` more in `busyMs`, still in the same busy spell. */
  busy(bytes: number, busyMs: number): void {
    this.#spellBytes += bytes;
    this.#spellMs += Math.max(0, busyMs);
    if (this.#spellBytes < this.options.minSampleBytes || !(this.#spellMs > 0)) return;
    // A sample under a third of the estimate is another kind of output (plain `yes` after
    // coloured text), not noise: it replaces the past instead of being averaged into it.
    const estimate = this.bytesPerSecond;
    const keep = estimate !== null && (this.#spellBytes / this.#spellMs) * 1000 < estimate / CHANGE_OF_KIND ? 0 : this.options.decay;
    this.#bytes = this.#bytes * keep + this.#spellBytes;
    this.#ms = this.#ms * keep + this.#spellMs;
    this.#spellBytes = 0;
    this.#spellMs = 0;
  }

  /** The renderer ran out of work: the spell so far was too short to say anything. */
  idle(): void {
    this.#spellBytes = 0;
    this.#spellMs = 0;
  }
}
