// A terminal tab attached to a notebook's `:session` shell (term.create with
// `session`): the renderer sees a terminal like any other (term.data with
// flow control, term.input, term.resize, term.ack), plus `term.held` saying
// where the hold stands. Its keystrokes go to the session's shell through the
// hold (shell-hold.ts); closing the tab hands the session back and never
// kills it. The shell stays the notebook's: the tab only borrows it.

import type { HeldState, HostMessage } from '../protocol.js';
import type { HoldEnd, SessionHold, SessionHolder } from '../targets/target.js';
import { OutputFlow } from '../terminals/output-flow.js';
import type { Watermarks } from '../terminals/flow-control.js';
import type { BatchOptions } from '../terminals/output-batcher.js';

export class HeldTerminal implements SessionHolder {
  private title = 'session';
  private hold: SessionHold | null = null;
  private readonly opening = new AbortController();
  private readonly flow: OutputFlow;
  /** Set while flow control holds the shell's output back: the hold waits for it. */
  private gate: { promise: Promise<void>; open: () => void } | null = null;
  private state: HeldState = 'waiting';
  /** Typed, and the last size, before the session was handed over: they go to it then (typeahead, as a shell keeps it). */
  private early: string[] = [];
  private size: { cols: number; rows: number } | null = null;
  private command: string | null = null;
  private over = false;

  constructor(
    readonly id: number,
    private readonly send: (msg: HostMessage) => void,
    /** The hold is over: the hub forgets this terminal. */
    private readonly gone: () => void,
    options: { watermarks?: Watermarks; batch?: BatchOptions } = {},
  ) {
    this.flow = new OutputFlow(
      {
        pause: () => {
          if (this.gate) return;
          let open!: () => void;
          const promise = new Promise<void>((resolve) => (open = resolve));
          this.gate = { promise, open };
        },
        resume: () => {
          const gate = this.gate;
          this.gate = null;
          gate?.open();
        },
      },
      (batch) => this.send({ type: 'term.data', id: this.id, data: batch }),
      options,
    );
  }

  /** How blocks waiting for the session name this tab. */
  get where(): string {
    return `terminal tab "${this.title}"`;
  }

  /** Aborted when the tab is closed before the session was handed over. */
  get signal(): AbortSignal {
    return this.opening.signal;
  }

  name(title: string): void {
    this.title = title;
    this.tell(null);
  }

  /** The session is handed over: the tab drives it from now on. */
  attach(hold: SessionHold): void {
    // Closed while the session was being handed over: hand it straight back.
    if (this.over) {
      hold.release();
      return;
    }
    this.hold = hold;
    if (this.size) hold.resize(this.size.cols, this.size.rows);
    if (this.early.length > 0) hold.write(this.early.join(''));
    this.early = [];
  }

  /** Could not be opened: the tab says why. */
  failed(message: string): void {
    this.finish(message);
  }

  onData(bytes: Uint8Array): void | Promise<void> {
    if (this.over) return;
    this.flow.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return this.gate?.promise;
  }

  onWaiting(why: string): void {
    this.tell(why);
  }

  onState(command: string | null): void {
    this.state = command === null ? 'prompt' : 'command';
    this.command = command;
    this.tell(null);
  }

  onEnd(end: HoldEnd): void {
    const message =
      end.kind === 'handed-back'
        ? `handed back to the notebook${end.how === 'eof' ? ' (Ctrl+D)' : end.how === 'exit' ? ' (exit would have ended its shell)' : ''}; its next block runs in this shell`
        : end.message;
    this.finish(message);
  }

  write(data: string): void {
    if (this.over) return;
    if (!this.hold) {
      this.early.push(data);
      return;
    }
    this.hold.write(data);
    this.flow.inputWritten();
  }

  resize(cols: number, rows: number): void {
    if (this.hold) this.hold.resize(cols, rows);
    else this.size = { cols, rows };
  }

  ack(bytes: number): void {
    this.flow.ack(bytes);
  }

  /** The "Hand back to notebook" action: done at the prompt; refused while a command typed by hand runs, and the tab says why. */
  handBack(): void {
    if (!this.hold) {
      this.close();
      return;
    }
    const r = this.hold.handBack();
    if (!r.ok) this.tell(r.message);
  }

  /** The tab was closed: hand back (when the running command ends, if one runs). */
  close(): void {
    if (this.over) return;
    if (this.hold) this.hold.release();
    else this.opening.abort('the tab was closed');
    this.retire();
  }

  private finish(message: string): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    this.command = null;
    this.flow.flush();
    this.tell(message);
    if (!this.over) this.retire();
  }

  /** Nothing more goes to the tab, nothing waits for it, and the hub forgets it. */
  private retire(): void {
    this.over = true;
    this.flow.dispose();
    this.gate?.open();
    this.gone();
  }

  private tell(message: string | null): void {
    this.send({ type: 'term.held', id: this.id, title: this.title, state: this.state, command: this.command, message });
  }
}
