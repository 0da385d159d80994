// A Junos device over NETCONF, as the engine sees any target. One NETCONF
// session per device for the whole run, opened by the first block and
// reused by the next ones (a new one after a stop or a lost connection).
// Operational blocks send their RPCs on it as they come; configuration
// blocks take turns, since two changes loaded into one candidate would be
// committed together. A `:timeout` or cancel ends the session (NETCONF
// cannot cancel an RPC), which makes Junos release the lock and discard the
// uncommitted change; the outcome says what was and was not done.

import type { JunosWork, RunDetails, RunIO, ScriptOutcome, ScriptRequest, SessionOptions, Target, TargetSession } from '../target.js';
import { CLOSE_GRACE_MS, ConfigRun, isoSeconds, type ConfigVerdict } from './junos-config.js';
import { runOpCommands } from './junos-op.js';
import { NetconfAbortedError, NetconfClosedError, NetconfProtocolError, NetconfSession, type NetconfChannel, type Timers } from './netconf-session.js';
import { promptName, transcriptOf, type Transcript } from './transcript.js';
import { afterLoss, afterStop, pendingAfter } from './interruption.js';

/** How a target reaches its device: the channel (ssh's netconf subsystem, or a test's peer) and who logs in. */
export interface JunosLink {
  /** Opens a NETCONF channel, or says in a sentence why it could not (unreachable, host key, authentication…). */
  open(signal: AbortSignal): Promise<NetconfChannel | { failure: string }>;
  /**
   * A channel over a connection of its own (not the one the session uses),
   * as someone reaching the device now would open: after a commit confirmed,
   * it proves the management path still works. Absent: not checked.
   */
  openFresh?(signal: AbortSignal): Promise<NetconfChannel | { failure: string }>;
  /** The user the device sees (for the CLI-like transcript), null when unknown. */
  user(): Promise<string | null>;
  /** Anything the link holds (nothing for most). */
  dispose?(): Promise<void>;
}

export interface JunosTargetOptions {
  now?: () => Date;
  timers?: Timers;
}

export class JunosTarget implements Target {
  private session: Promise<NetconfSession> | null = null;
  private configTurn: Promise<unknown> = Promise.resolve();
  /** The rollback deadline of the last commit confirmed this target made, for messages. */
  private ownDeadline: Date | null = null;
  private readonly now: () => Date;

  constructor(
    private readonly label: string,
    private readonly link: JunosLink,
    private readonly options: JunosTargetOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  describe(): string {
    return this.label;
  }

  async run(req: ScriptRequest, io: RunIO): Promise<ScriptOutcome> {
    if (req.language !== 'junos') {
      return { kind: 'failed', message: `${this.label} is a Junos device: it runs junos blocks only, not ${req.language}` };
    }
    const work = req.junos;
    if (!work) return { kind: 'failed', message: `this junos block reached ${this.label} without its instructions (op commands or a change)` };
    if (work.kind === 'op') return this.runWork(work, io);
    // Configuration blocks on one device take turns.
    const turn = this.configTurn.then(() => this.runWork(work, io));
    this.configTurn = turn.catch(() => undefined);
    return turn;
  }

  private async runWork(work: JunosWork, io: RunIO): Promise<ScriptOutcome> {
    if (io.signal.aborted) return { kind: 'aborted', details: { message: 'it had not started' } };
    const out = transcriptOf(io);
    const opened = await this.deviceSession(io.signal);
    if ('failure' in opened) return io.signal.aborted ? { kind: 'aborted', details: { message: 'it was stopped while connecting' } } : { kind: 'failed', message: opened.failure };
    const session = opened.session;
    const prompt = promptName(await this.link.user().catch(() => null), this.label);
    const config = work.kind === 'op' ? null : new ConfigRun({ session, label: this.label, prompt, out, signal: io.signal, now: this.now });
    try {
      if (work.kind === 'op') {
        const r = await runOpCommands(session, work.commands, work.format, prompt, out, io.signal);
        const details: RunDetails = work.format === 'xml' ? { xml: r.replies } : {};
        return r.ok ? { kind: 'exited', exitCode: 0, details } : { kind: 'exited', exitCode: 1, details: { ...details, ...(r.message ? { message: r.message } : {}) } };
      }
      const verdict = work.kind === 'config'
        ? await config!.change({ load: work.load, commit: work.commit, private: work.private, log: work.log })
        : work.kind === 'confirm'
          ? await config!.confirm(work.log, this.ownDeadline)
          : await config!.rollBack(work.log, this.ownDeadline);
      if (verdict.pendingRollback) {
        this.ownDeadline = verdict.pendingRollback.at;
        const cut = await this.managementPathProblem(io.signal, out);
        if (cut) return { kind: 'exited', exitCode: 1, details: { pendingRollback: verdict.pendingRollback, message: `${cut}; ${this.label} rolls the commit back at ${isoSeconds(verdict.pendingRollback.at)} unless it is confirmed: find out why before confirming it` } };
      }
      return this.outcomeOf(verdict);
    } catch (e) {
      return this.interrupted(e, session, config, io, out);
    }
  }

  /**
   * After a commit confirmed (the anchors' §5, step 7): a new connection of
   * its own, as the next person to reach the device would open. Null when
   * it works (or the link cannot make one); else what went wrong.
   */
  private async managementPathProblem(signal: AbortSignal, out: Transcript): Promise<string | null> {
    if (!this.link.openFresh) return null;
    const channel = await this.link.openFresh(signal);
    let problem: string | null = null;
    if ('failure' in channel) {
      problem = channel.failure;
    } else {
      try {
        const probe = await NetconfSession.open(channel, { label: this.label, ...(this.options.timers ? { timers: this.options.timers } : {}) }, signal);
        await probe.close(CLOSE_GRACE_MS);
      } catch (e) {
        if (e instanceof NetconfAbortedError || signal.aborted) throw new NetconfAbortedError();
        problem = (e as Error).message;
      }
    }
    if (problem === null) {
      await out.note(`a new NETCONF connection to ${this.label}, made after the commit, works: the management path is intact`);
      return null;
    }
    const said = `a new NETCONF connection to ${this.label}, made after the commit, failed (${problem}): the change may have cut the management path`;
    await out.note(said);
    return said;
  }

  private outcomeOf(v: ConfigVerdict): ScriptOutcome {
    const details: RunDetails = v.pendingRollback !== undefined ? { pendingRollback: v.pendingRollback } : {};
    if (v.status === 'pass') return { kind: 'exited', exitCode: 0, details };
    if (v.status === 'fail') return { kind: 'exited', exitCode: 1, details: { ...details, message: v.message ?? 'the change failed' } };
    return { kind: 'failed', message: v.message ?? 'the change could not be made', details };
  }

  /** A stop, a lost connection or a reply Modus cannot read, told with how far a change had gone. */
  private async interrupted(e: unknown, session: NetconfSession, config: ConfigRun | null, io: RunIO, out: Transcript): Promise<ScriptOutcome> {
    const stopped = e instanceof NetconfAbortedError || io.signal.aborted;
    if (stopped) {
      await session.close(CLOSE_GRACE_MS);
      const details: RunDetails = { message: afterStop(this.label, config) };
      const pending = pendingAfter(config);
      if (pending !== undefined) details.pendingRollback = pending;
      return { kind: 'aborted', details };
    }
    if (e instanceof NetconfClosedError || e instanceof NetconfProtocolError) {
      // A reply Modus cannot read leaves the session in doubt: the next block gets a new one.
      session.destroy();
      const pending = pendingAfter(config);
      const details: RunDetails = pending !== undefined ? { pendingRollback: pending } : {};
      await out.note(e.message);
      return { kind: 'failed', message: `${e.message}${afterLoss(this.label, config)}`, details };
    }
    throw e;
  }

  /** The device's session, opened by the first block and reused; a new one when it ended. */
  private async deviceSession(signal: AbortSignal): Promise<{ session: NetconfSession } | { failure: string }> {
    for (;;) {
      const known = this.session;
      const current = known ? await known.catch(() => null) : null;
      if (current?.alive) return { session: current };
      // Another block started a new session while this one looked at the old: use that one.
      if (this.session === known) break;
    }
    const opening = (async () => {
      const channel = await this.link.open(signal);
      if ('failure' in channel) throw new OpenError(channel.failure);
      return NetconfSession.open(channel, { label: this.label, ...(this.options.timers ? { timers: this.options.timers } : {}) }, signal);
    })();
    this.session = opening;
    try {
      return { session: await opening };
    } catch (e) {
      if (this.session === opening) this.session = null;
      const known = e instanceof OpenError || e instanceof NetconfClosedError || e instanceof NetconfProtocolError;
      return { failure: known ? e.message : `cannot start NETCONF with ${this.label}: ${(e as Error).message}` };
    }
  }

  /** `:session` means nothing to a NETCONF device (the plan refuses it): runs go to the device's one session all the same. */
  async openSession(name: string, _options?: SessionOptions): Promise<TargetSession> {
    return { name, run: (req, io) => this.run(req, io), dispose: async () => undefined };
  }

  async dispose(): Promise<void> {
    const s = this.session ? await this.session.catch(() => null) : null;
    this.session = null;
    await s?.close(CLOSE_GRACE_MS);
    await this.link.dispose?.();
  }
}

class OpenError extends Error {}

