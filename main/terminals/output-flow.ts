// The host's side of a terminal's output: chunks from the pty are batched
// (output-batcher.ts) and counted against the renderer's acknowledgements
// (flow-control.ts), which pause and resume the source and size the batches
// for the renderer's speed. Knows nothing of node-pty: TerminalProcess
// gives it the pty, the flow-control simulation a simulated one.

import { FlowControl, DEFAULT_WATERMARKS, type AckResult, type FlowDecision, type Watermarks } from './flow-control.js';
import { OutputBatcher, DEFAULT_BATCH, type BatchOptions } from './output-batcher.js';
import { systemClock, type Clock } from './clock.js';

/** Where the output comes from: stops being read while paused (the writer then blocks in the kernel). */
export interface OutputSource {
  pause(): void;
  resume(): void;
}

export interface OutputFlowOptions {
  watermarks?: Watermarks;
  batch?: BatchOptions;
  clock?: Clock;
}

export class OutputFlow {
  readonly #flow: FlowControl;
  readonly #batcher: OutputBatcher;
  #sourcePaused = false;

  constructor(
    private readonly source: OutputSource,
    /** A batch for the renderer, which answers with ack() once it has parsed it. */
    private readonly emit: (batch: Buffer) => void,
    options: OutputFlowOptions = {},
  ) {
    const clock = options.clock ?? systemClock;
    this.#flow = new FlowControl(options.watermarks ?? DEFAULT_WATERMARKS, () => clock.now());
    const receiver = { backlog: () => this.#flow.unacknowledged, room: () => this.#flow.room };
    this.#batcher = new OutputBatcher((batch) => this.#deliver(batch), options.batch ?? DEFAULT_BATCH, receiver, clock);
    this.#follow(null);
  }

  get unacknowledged(): number {
    return this.#flow.unacknowledged;
  }

  /** Whether the source is paused (flow control's window is full, or the host already holds what fits in it). */
  get paused(): boolean {
    return this.#sourcePaused;
  }

  /** The current high watermark (follows the renderer's measured speed). */
  get high(): number {
    return this.#flow.high;
  }

  push(chunk: Uint8Array): void {
    this.#batcher.push(chunk);
    this.#syncSource();
  }

  /** Input went to the source: its echo goes out without waiting for a window. */
  inputWritten(): void {
    this.#batcher.inputWritten();
  }

  /** The renderer parsed `bytes` more bytes. */
  ack(bytes: number): AckResult {
    const result = this.#flow.ack(bytes);
    this.#follow(result.decision, true);
    this.#syncSource();
    return result;
  }

  /** Sends what is gathered now (the source exited). */
  flush(): void {
    this.#batcher.flush();
  }

  /** Sends what is gathered, then drops further output. */
  dispose(): void {
    this.#batcher.dispose();
  }

  #deliver(batch: Buffer): void {
    this.#follow(this.#flow.sent(batch.byteLength));
    this.#syncSource();
    this.emit(batch);
  }

  /** Batches follow flow control's window (two fill it: one parsed while the next waits), and its decisions. */
  #follow(decision: FlowDecision, acknowledged = false): void {
    this.#batcher.limitBytes(Math.ceil(this.#flow.high / 2));
    if (decision === 'pause') this.#batcher.hold();
    else if (decision === 'resume') this.#batcher.release();
    else if (acknowledged) this.#batcher.roomChanged();
  }

  /**
   * The source is read only while flow control's window has room for more
   * than the host already holds. Why the second half: after a resume the
   * window had room for one acknowledged batch (57 KB, say) while the next
   * pty read brought 64 KB; the rest stayed here, cycle after cycle, and
   * 300 KB had gathered in the host by the time the user pressed Ctrl+C.
   */
  #syncSource(): void {
    const hold = this.#flow.paused || this.#batcher.pendingBytes >= this.#flow.room;
    if (hold === this.#sourcePaused) return;
    this.#sourcePaused = hold;
    if (hold) this.source.pause();
    else this.source.resume();
  }
}
