// One hold of a session's shell by hand (hold-script.ts runs in the shell):
// the person's keystrokes go to the shell's terminal, its output to their
// tab, and the markers tell where the shell is. Handing back is allowed only
// at the prompt: Modus then types the hand-back keys, which only readline at
// the loop's prompt reads; a command typed by hand that still runs would
// otherwise read them, or be left behind. Transport-neutral: a session
// (local pty, or a remote one) gives it a channel to its terminal.

import { HAND_BACK_KEYS } from './hold-script.js';
import { HoldMarkers, readableCommand } from './hold-markers.js';
import type { HoldEnd, SessionHold, SessionHolder } from './target.js';

export interface HoldChannel {
  /** Writes to the shell's terminal input. */
  input(data: string): void;
  resize(cols: number, rows: number): void;
  /** The shell said which terminal device it reads (a transport that resizes it from outside needs it). */
  terminal?(path: string): void;
}

type State =
  /** The loop has not printed its first prompt yet: keystrokes wait (a Ctrl+C now would reach a shell without its trap). */
  | { kind: 'starting' }
  | { kind: 'prompt' }
  | { kind: 'command'; line: string }
  | { kind: 'handing-back' }
  | { kind: 'ended' };

export class ShellHold implements SessionHold {
  readonly ended: Promise<HoldEnd>;
  private finish!: (end: HoldEnd) => void;
  private state: State = { kind: 'starting' };
  private readonly markers: HoldMarkers;
  private holder: SessionHolder | null;
  /** Keystrokes before the first prompt. */
  private early: string[] = [];
  /** A line was entered since the last prompt marker: the shell may be running it already. */
  private entered = false;
  /** Hand back at the next prompt (the holder went away, or asked before the loop started). */
  private handBackAtPrompt = false;

  constructor(
    readonly session: string,
    nonce: string,
    holder: SessionHolder,
    private readonly channel: HoldChannel,
    /** Where the hold stands changed (blocks waiting are told again). */
    private readonly changed: () => void,
  ) {
    this.holder = holder;
    this.markers = new HoldMarkers(nonce);
    this.ended = new Promise((resolve) => (this.finish = resolve));
  }

  /** Where the session is held, for a waiting block: why it waits. */
  waitReason(): string {
    if (this.holder) return `session "${this.session}" is held in ${this.holder.where}; the block runs when it is handed back`;
    if (this.state.kind === 'command') return `session "${this.session}": ${readableCommand(this.state.line)}, typed by hand, still runs in it (its terminal tab was closed); the block runs when it ends`;
    return `session "${this.session}" is being handed back`;
  }

  get where(): string | null {
    return this.holder?.where ?? null;
  }

  get attached(): boolean {
    return this.holder !== null;
  }

  /** A new holder takes a released hold (the session was opened in a terminal again). */
  attach(holder: SessionHolder): boolean {
    if (this.holder || this.state.kind === 'ended' || this.state.kind === 'handing-back') return false;
    this.holder = holder;
    this.handBackAtPrompt = false;
    holder.onState?.(this.state.kind === 'command' ? readableCommand(this.state.line) : null);
    this.changed();
    return true;
  }

  /** The shell's terminal output while held. */
  feed(bytes: Uint8Array): void | Promise<void> {
    const scan = this.markers.feed(bytes);
    let wait: void | Promise<void> = undefined;
    if (scan.output.length > 0 && this.holder && this.state.kind !== 'ended') wait = this.holder.onData(scan.output);
    for (const e of scan.events) {
      if (e.kind === 'prompt') this.atPrompt();
      else if (e.kind === 'tty') this.channel.terminal?.(e.path);
      else if (e.kind === 'command') {
        this.entered = false;
        if (this.state.kind !== 'handing-back') this.setState({ kind: 'command', line: e.line });
      } else this.end({ kind: 'handed-back', how: e.how === 'eof' ? 'eof' : e.how === 'exit' ? 'exit' : 'request' });
    }
    return wait;
  }

  private atPrompt(): void {
    this.entered = false;
    if (this.state.kind === 'handing-back' || this.state.kind === 'ended') return;
    const first = this.state.kind === 'starting';
    this.setState({ kind: 'prompt' });
    if (this.handBackAtPrompt) {
      this.sendHandBack();
      return;
    }
    if (first) {
      const early = this.early.join('');
      this.early = [];
      if (early !== '') this.write(early);
    }
  }

  private setState(s: State): void {
    this.state = s;
    this.holder?.onState?.(s.kind === 'command' ? readableCommand(s.line) : null);
    this.changed();
  }

  write(data: string): void {
    switch (this.state.kind) {
      case 'starting':
        this.early.push(data);
        return;
      case 'prompt':
      case 'command':
        if (/[\r\n]/.test(data)) this.entered = true;
        this.channel.input(data);
        return;
      default:
        return; // handed back (or going): nothing typed may reach the notebook's shell
    }
  }

  resize(cols: number, rows: number): void {
    if (this.state.kind !== 'ended' && this.state.kind !== 'handing-back') this.channel.resize(cols, rows);
  }

  handBack(): { ok: true } | { ok: false; message: string } {
    switch (this.state.kind) {
      case 'starting':
        this.handBackAtPrompt = true;
        return { ok: true };
      case 'prompt':
        if (this.entered) return { ok: false, message: this.busyMessage(null) };
        this.sendHandBack();
        return { ok: true };
      case 'command':
        return { ok: false, message: this.busyMessage(readableCommand(this.state.line)) };
      default:
        return { ok: true };
    }
  }

  private busyMessage(command: string | null): string {
    const what = command === null ? 'the command just entered is still running' : `${command} is still running`;
    return `session "${this.session}" cannot be handed back yet: ${what}; end it (Ctrl+C) or wait for it, then hand back at the prompt`;
  }

  release(): void {
    if (!this.holder) return;
    this.holder = null;
    if (this.state.kind === 'prompt' && !this.entered) this.sendHandBack();
    else if (this.state.kind === 'starting' || this.state.kind === 'prompt' || this.state.kind === 'command') this.handBackAtPrompt = true;
    this.changed();
  }

  private sendHandBack(): void {
    this.handBackAtPrompt = false;
    this.state = { kind: 'handing-back' };
    this.channel.input(HAND_BACK_KEYS);
    this.changed();
  }

  /** The hold is over (the H marker, the shell's end, the session's close). */
  end(end: HoldEnd): void {
    if (this.state.kind === 'ended') return;
    this.state = { kind: 'ended' };
    const rest = this.markers.flush();
    if (rest.length > 0 && this.holder) void this.holder.onData(rest);
    const holder = this.holder;
    this.holder = null;
    this.finish(end);
    holder?.onEnd(end);
  }
}
