// What every session that can be taken over by hand shares, whatever the
// transport: runs and holds take turns at the shell (turns.ts), a run that
// waits while the session is held is told why (and told again when that
// changes), a second take-over attaches to a hold its tab left behind or is
// refused, and closing the session ends a hold. The session itself only
// says how to start a hold on its shell (`begin`).

import type { ShellHold } from './shell-hold.js';
import type { RunIO, ScriptOutcome, SessionHold, SessionHolder } from './target.js';
import { Turns } from './turns.js';

export class SessionTurns {
  private readonly turns = new Turns();
  private hold: ShellHold | null = null;
  /** Where a take-over waiting for its turn will hold the session. */
  private pendingHolder: string | null = null;
  /** Runs waiting while the session is held, and what they were told. */
  private readonly waiters = new Map<RunIO, string>();
  private closed = false;

  constructor(private readonly name: string) {}

  /** Runs `fn` in its turn; cancelled while it waits, it never reaches the shell and the outcome is `aborted`. */
  async run(io: RunIO, fn: () => Promise<ScriptOutcome>): Promise<ScriptOutcome> {
    let told = false;
    const release = await this.turns.take(io.signal, () => {
      const why = this.heldReason();
      if (why === null) return;
      told = true;
      this.waiters.set(io, why);
      io.waiting?.(why);
    });
    this.waiters.delete(io);
    if (!release) return { kind: 'aborted' };
    if (told) io.waiting?.(null);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private heldReason(): string | null {
    if (this.hold) return this.hold.waitReason();
    if (this.pendingHolder !== null) return `session "${this.name}" is being opened in ${this.pendingHolder}; the block runs when it is handed back`;
    return null;
  }

  /** The hold changed: waiting runs hear the new reason. */
  changed(): void {
    const why = this.heldReason();
    if (why === null) return;
    for (const [io, told] of this.waiters) {
      if (told === why) continue;
      this.waiters.set(io, why);
      io.waiting?.(why);
    }
  }

  /**
   * A take-over: after the run in progress, `begin` starts the hold on the
   * shell (or says why it cannot). The turn is the hold's until it ends.
   */
  async takeOver(holder: SessionHolder, signal: AbortSignal, begin: () => Promise<ShellHold | { error: string }>): Promise<SessionHold | { error: string }> {
    if (this.closed) return { error: `session "${this.name}" is closed` };
    if (this.hold) {
      if (this.hold.attach(holder)) return this.hold;
      const where = this.hold.where;
      return { error: where !== null ? `session "${this.name}" is already held in ${where}` : `session "${this.name}" is being handed back; open it again in a moment` };
    }
    if (this.pendingHolder !== null) return { error: `session "${this.name}" is already being opened in ${this.pendingHolder}` };
    this.pendingHolder = holder.where;
    this.changed();
    let release: (() => void) | null;
    try {
      release = await this.turns.take(signal, () => holder.onWaiting?.(`session "${this.name}" is running a block; the terminal gets it when the block ends`));
    } finally {
      this.pendingHolder = null;
    }
    if (!release) return { error: `opening session "${this.name}" was given up` };
    // Closed while this take-over waited for its turn.
    if (this.closed) {
      release();
      return { error: `session "${this.name}" is closed` };
    }
    let hold: ShellHold | { error: string };
    try {
      hold = await begin();
    } catch (e) {
      hold = { error: (e as Error).message };
    }
    if ('error' in hold) {
      release();
      this.changed();
      return hold;
    }
    const started = hold;
    this.hold = started;
    void started.ended.then(() => {
      if (this.hold === started) this.hold = null;
      release();
    });
    return started;
  }

  /** The session closes: a hold ends (its tab is told), then `fn` runs after the run in progress; runs still waiting come first and find it closed. */
  async close(fn: () => Promise<void>): Promise<void> {
    this.closed = true;
    this.hold?.end({ kind: 'closed', message: `session "${this.name}" was closed` });
    const release = await this.turns.take();
    try {
      await fn();
    } finally {
      release?.();
    }
  }
}
