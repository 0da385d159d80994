// Paces a terminal's screen updates during a flood of output. xterm.js asks
// for a frame after every write it parses, and in a flood a write arrives
// every few tens of milliseconds. Without a GPU (the DOM renderer, or WebGL
// drawn by the CPU) each frame costs the renderer and the compositor about
// as much as parsing the write did, and on a small machine that CPU is taken
// from the parser and from the processes that produce the output.
//
// A refresh that finds more than `floodBytes` unparsed starts a flood; from
// then on refreshes are gathered and passed on at most once per
// `intervalMs`. A light write with little before it (a keystroke's echo,
// the prompt after Ctrl+C) ends the flood, and what is gathered is drawn at
// once. The last screen of a flood whose final batch carries its prompt (a
// `cat`) comes when the interval ends: at most 100 ms after it was parsed.
// For a second after the user typed into a flood, nothing is paced: after a
// Ctrl+C the prompt often comes in one batch with the last of the flood, and
// the user is watching for it.
// A scrolling flood is unreadable; ten updates a second lose nothing, and
// native terminals decouple drawing from parsing the same way.
//
// No DOM here: the pacer sees a refresh function, the backlog and a clock,
// so it is tested in Node (test/unit/renderer/render-pacer.test.ts).

/** xterm's RenderService.refreshRows: rows start..end (viewport) need drawing; `redrawOnly` when no content changed. */
export type RowRefresh = (start: number, end: number, redrawOnly: boolean) => void;

export interface PacerOptions {
  /** Unparsed output above which the pane is in a flood. */
  floodBytes: number;
  /**
   * A parsed write at most this long, with at most this much behind it, ends
   * the flood: a prompt or an echo. A flood's own writes are far longer
   * (the host batches them for up to 100 ms); a bound near floodBytes let
   * the smaller batches of a flood end it and halved the pacing's effect.
   */
  lightBytes: number;
  /** In a flood, at most one refresh per this many milliseconds. */
  intervalMs: number;
  /**
   * After the user typed into a flood (Ctrl+C, `q`), refreshes pass at once
   * for this long: the user waits for the flood to react, and its end often
   * arrives in the same batch as the last of the flood.
   */
  afterInputMs: number;
}

export const DEFAULT_PACING: PacerOptions = { floodBytes: 256 * 1024, lightBytes: 16 * 1024, intervalMs: 100, afterInputMs: 1000 };

export interface PacerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: PacerClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class RenderPacer {
  #start = 0;
  #end = 0;
  #redrawOnly = true;
  #pending = false;
  #timer: unknown = null;
  #lastForwarded = Number.NEGATIVE_INFINITY;
  /**
   * Set when a refresh finds more than floodBytes unparsed; cleared by a
   * light write with little before or behind it. In between, the page may
   * wait for the next batch with nothing queued, and that is still the flood.
   */
  #flooding = false;
  /** clock.now() until which refreshes pass unpaced: the user just typed. */
  #unpacedUntil = Number.NEGATIVE_INFINITY;
  #disposed = false;

  constructor(
    private readonly forward: RowRefresh,
    /** Bytes the pane received and xterm has not parsed yet. */
    private readonly backlog: () => number,
    private readonly options: PacerOptions = DEFAULT_PACING,
    private readonly clock: PacerClock = realClock,
  ) {}

  /** Refreshes passed on at once / gathered and passed on later; for the tests and the bench. */
  readonly stats = { immediate: 0, deferred: 0 };

  get holding(): boolean {
    return this.#pending;
  }

  get flooding(): boolean {
    return this.#flooding;
  }

  /** Stands in for xterm's refreshRows. */
  refresh(start: number, end: number, redrawOnly: boolean): void {
    if (this.#disposed) {
      this.forward(start, end, redrawOnly);
      return;
    }
    if (this.#pending) {
      this.#start = Math.min(this.#start, start);
      this.#end = Math.max(this.#end, end);
      this.#redrawOnly &&= redrawOnly;
    } else {
      this.#start = start;
      this.#end = end;
      this.#redrawOnly = redrawOnly;
      this.#pending = true;
    }
    if (this.#timer !== null) return;
    if (this.backlog() > this.options.floodBytes) this.#flooding = true;
    const now = this.clock.now();
    const due = this.#lastForwarded + this.options.intervalMs;
    if (!this.#flooding || now >= due || now < this.#unpacedUntil) {
      this.stats.immediate++;
      this.#pass(now);
      return;
    }
    this.stats.deferred++;
    this.#timer = this.clock.setTimeout(() => {
      this.#timer = null;
      this.#pass(this.clock.now());
    }, due - now);
  }

  /**
   * The user typed or pasted into the pane. In a flood (a Ctrl+C, a `q`),
   * whatever comes for a moment is drawn at once. Input outside a flood (the
   * Enter that starts a `cat`) changes nothing: the flood it starts is paced.
   */
  input(): void {
    if (this.#disposed || !this.#flooding) return;
    this.#unpacedUntil = this.clock.now() + this.options.afterInputMs;
    this.#passHeldNow();
  }

  /**
   * A write of `bytes` arrived; call before counting it in the backlog. A
   * light write with everything before it parsed ends the flood (the shell
   * answering a keystroke, a prompt after Ctrl+C): what is held is drawn
   * now, and the refresh the write brings passes at once.
   */
  received(bytes: number): void {
    this.#endFloodIfLight(bytes);
  }

  /**
   * xterm parsed a write of `bytes`. If it was light and little is left
   * behind it, the flood is over (a light write that arrived while the page
   * was still behind). A flood's own writes are large; drawing after each of
   * them would undo the pacing (measured: the GPU process's CPU for 50 MB
   * doubled, 0.5 → 1.0 s).
   */
  parsed(bytes: number): void {
    this.#endFloodIfLight(bytes);
  }

  #endFloodIfLight(bytes: number): void {
    if (bytes > this.options.lightBytes || this.backlog() > this.options.lightBytes) return;
    this.#flooding = false;
    this.#passHeldNow();
  }

  /** What waits for the end of its interval is passed on now. */
  #passHeldNow(): void {
    if (this.#timer === null) return;
    this.clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#pass(this.clock.now());
  }

  /** Passes on what is gathered and stops pacing (the pane closes, or the hooks are removed). */
  dispose(): void {
    if (this.#timer !== null) this.clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#disposed = true;
    if (this.#pending) this.#pass(this.clock.now());
  }

  #pass(now: number): void {
    if (!this.#pending) return;
    this.#pending = false;
    this.#lastForwarded = now;
    this.forward(this.#start, this.#end, this.#redrawOnly);
  }
}
