// A configuration change, the safe way (the Junos anchors' §5):
//  1. read the commit history: is a commit confirmed pending?
//  2. lock (`configure exclusive`) or open a private candidate. If that
//     fails, stop and say who holds it; never discard anything then: the
//     candidate is someone else's work;
//  3. load with an explicit action; errors fail (warnings are shown);
//  4. diff against the active configuration: empty = "no change", nothing
//     is committed;
//  5. commit check, errors shown with their edit paths;
//  6. then, by `:commit`: roll back (check only), commit confirmed N with a
//     log naming the notebook, or commit;
//  7. whatever happened: after a failed step, roll back 0 while the lock is
//     still held; unlock (or close the private candidate) in `finally`.
// Junos takes a commit check as the confirmation of a pending commit
// confirmed, so a check-only change is refused while one is pending: the
// safety net would be removed by what looks like a dry run.
//
// `phase` says how far it got, so a stop or a lost connection can be told
// truthfully: nothing changed, or the commit may or did happen.

import type { JunosCommitMode, JunosLoad } from '../target.js';
import type { NetconfSession, RpcReply } from './netconf-session.js';
import {
  closeConfigurationRpc, commitCheckRpc, commitHistoryRpc, commitRpc, diffRpc, loadSetRpc, loadTextRpc, lockRpc, openPrivateRpc, rollbackRpc, unlockRpc,
} from './junos-rpcs.js';
import { commitHistory, confirmedSeries, diffText, failures, loadErrorCount, pendingConfirm, rolledBackAutomatically, type CommitEntry, type PendingConfirm } from './junos-replies.js';
import { formatRpcError, summarizeRpcErrors, warningsOnly, type RpcError } from './rpc-error.js';
import type { Transcript } from './transcript.js';

export type ConfigPhase =
  /** Nothing held, nothing loaded. */
  | 'before'
  /** The lock (or a private candidate) is held; the candidate may hold our change; nothing is committed. */
  | 'editing'
  /** A commit was sent and not answered: it may or may not have happened. */
  | 'committing'
  /** The commit happened. */
  | 'committed';

export interface ConfigVerdict {
  /** pass; fail: the change or the device refused it; error: it could not be tried (lock held, nothing to confirm). */
  status: 'pass' | 'fail' | 'error';
  message?: string;
  /** As RunDetails.pendingRollback. */
  pendingRollback?: { at: Date } | null;
}

export interface ConfigContext {
  session: NetconfSession;
  /** The device as the notebook names it. */
  label: string;
  /** `root@edge1`, for the CLI-like transcript. */
  prompt: string;
  out: Transcript;
  signal: AbortSignal;
  now(): Date;
}

export interface ChangeSpec {
  load: JunosLoad;
  commit: JunosCommitMode;
  private: boolean;
  log: string;
}

/** One change or confirmation on one device; its fields say how far it went when it is stopped. */
export class ConfigRun {
  phase: ConfigPhase = 'before';
  /** Set once a commit confirmed went through: when the device rolls it back. */
  rollbackAt: Date | null = null;
  /** The confirmed-commit timeout asked for, while a commit is being sent. */
  confirmMinutes: number | null = null;
  /** When the commit was sent (for a deadline when it is not known to have happened). */
  commitSentAt: Date | null = null;

  constructor(private readonly ctx: ConfigContext) {}

  private rpc(body: string): Promise<RpcReply> {
    return this.ctx.session.rpc(body, this.ctx.signal);
  }

  private async show(reply: RpcReply): Promise<RpcError[]> {
    for (const w of warningsOnly(reply.errors)) await this.ctx.out.write(`${formatRpcError(w)}\n`);
    const errors = failures(reply);
    for (const e of errors) await this.ctx.out.write(`${formatRpcError(e)}\n`);
    return errors;
  }

  private cli(command: string, mode: '>' | '#' = '#'): Promise<void> {
    return this.ctx.out.write(`${this.ctx.prompt}${mode} ${command}\n`);
  }

  /** The commit history, or null when the device does not give it (then pending commits cannot be known). */
  private async history(): Promise<CommitEntry[] | null> {
    const reply = await this.rpc(commitHistoryRpc());
    return failures(reply).length > 0 ? null : commitHistory(reply);
  }

  /** Loads, diffs, checks and commits (or not) as `spec` says. */
  async change(spec: ChangeSpec): Promise<ConfigVerdict> {
    const { label, out } = this.ctx;
    const history = await this.history();
    const pending = history ? pendingConfirm(history) : null;
    if (spec.commit.mode === 'check' && pending) {
      return {
        status: 'error',
        message: `a commit confirmed is pending on ${label} (${describePending(pending)}), and Junos takes a commit check as its confirmation, so Modus did not run this check-only block; confirm it first (a :commit confirm block) or let it roll back`,
      };
    }
    const entered = await this.enter(spec.private);
    if (entered) return entered;
    let verdict: ConfigVerdict | null = null;
    try {
      verdict = await this.changeUnderLock(spec, pending);
      return verdict;
    } finally {
      await this.leave(spec.private);
      if (verdict?.status === 'pass' && history === null) {
        await out.note(`${label} did not give its commit history (show system commit), so Modus could not tell whether a commit confirmed was pending before this change`);
      }
    }
  }

  /** Confirms the pending commit confirmed: a plain commit, under the lock, of an unchanged candidate. */
  async confirm(log: string, ownDeadline: Date | null): Promise<ConfigVerdict> {
    const { label, out } = this.ctx;
    const history = await this.history();
    const pending = history ? pendingConfirm(history) : null;
    if (history !== null && pending === null) {
      // The device says nothing is pending: whatever this notebook recorded, no rollback is coming (pendingRollback null).
      return { status: 'fail', message: `nothing to confirm on ${label}: ${this.whyNothingPending(history, ownDeadline)}. Nothing was committed`, pendingRollback: null };
    }
    const entered = await this.enter(false);
    if (entered) return entered;
    try {
      const diff = diffText(await this.rpc(diffRpc()));
      if (diff !== '') {
        await this.cli('show | compare');
        await out.write(diff);
        return { status: 'fail', message: `the candidate configuration of ${label} has uncommitted changes (shown above); a confirmation commits nothing new, so Modus did not commit` };
      }
      await this.cli(`commit comment ${JSON.stringify(log)}`);
      this.phase = 'committing';
      this.commitSentAt = this.ctx.now();
      const reply = await this.rpc(commitRpc({ log }));
      const errors = await this.show(reply);
      if (errors.length > 0) {
        this.phase = 'editing';
        return { status: 'fail', message: `the confirming commit failed on ${label}: ${summarizeRpcErrors(errors)}` };
      }
      this.phase = 'committed';
      await out.write('commit complete\n');
      await out.note(pending
        ? `confirmed: ${label} keeps the commit confirmed of ${pending.entry.dateText || 'earlier'}${pending.entry.log ? ` (${pending.entry.log})` : ''} and will not roll it back`
        : `committed; ${label} did not give its commit history, so whether a commit confirmed was pending is unknown`);
      return { status: 'pass', pendingRollback: null };
    } finally {
      await this.leave(false);
    }
  }

  /**
   * Rolls the pending commit confirmed back now, as the device would at its
   * deadline: under the lock, an unchanged candidate replaced by the
   * configuration from before it (`rollback N`: before the first of a
   * series of commits confirmed, which Junos treats as one), shown as a
   * diff and committed plainly. Nothing pending is a failure that says why.
   */
  async rollBack(log: string, ownDeadline: Date | null): Promise<ConfigVerdict> {
    const { label, out } = this.ctx;
    const history = await this.history();
    if (history === null) {
      return { status: 'error', message: `${label} did not give its commit history (show system commit), so Modus cannot tell whether a commit confirmed is pending or what came before it; nothing was changed` };
    }
    const pending = pendingConfirm(history);
    if (pending === null) return { status: 'fail', message: `nothing to roll back on ${label}: ${this.whyNothingPending(history, ownDeadline)}. Nothing was changed`, pendingRollback: null };
    const index = confirmedSeries(history);
    if (index >= history.length) {
      return { status: 'error', message: `${label}'s commit history does not reach the configuration before the commit confirmed (rollback ${index}); nothing was changed: let the device roll it back at its deadline` };
    }
    const entered = await this.enter(false);
    if (entered) return entered;
    try {
      const uncommitted = diffText(await this.rpc(diffRpc()));
      if (uncommitted !== '') {
        await this.cli('show | compare');
        await out.write(uncommitted);
        return { status: 'fail', message: `the candidate configuration of ${label} has uncommitted changes (shown above); Modus rolls back only an unchanged candidate, so nothing was committed` };
      }
      await this.cli(`rollback ${index}`);
      const loadErrors = await this.show(await this.rpc(rollbackRpc(index)));
      if (loadErrors.length > 0) {
        await this.discard();
        return { status: 'fail', message: `${label} could not load rollback ${index}: ${summarizeRpcErrors(loadErrors)}; nothing was changed` };
      }
      await out.write('load complete\n');
      await this.cli('show | compare');
      await out.write(diffText(await this.rpc(diffRpc())));
      await this.cli(`commit comment ${JSON.stringify(log)}`);
      this.phase = 'committing';
      this.commitSentAt = this.ctx.now();
      const errors = await this.show(await this.rpc(commitRpc({ log })));
      if (errors.length > 0) {
        this.phase = 'editing';
        await this.discard();
        return { status: 'fail', message: `the rollback commit failed on ${label}: ${summarizeRpcErrors(errors)}; the commit confirmed is still pending (${describePending(pending)})` };
      }
      this.phase = 'committed';
      await out.write('commit complete\n');
      const before = history[index]!;
      await out.note(`rolled back: ${label} has the configuration of ${before.dateText || `rollback ${index}`}${before.log ? ` (${before.log})` : ''} again, from before the commit confirmed of ${pending.entry.dateText || 'earlier'}${pending.entry.log ? ` (${pending.entry.log})` : ''}; nothing is pending any more`);
      return { status: 'pass', pendingRollback: null };
    } finally {
      await this.leave(false);
    }
  }

  /** Why no commit confirmed is pending, from the history: rolled back already, or confirmed (or never made). */
  private whyNothingPending(history: readonly CommitEntry[], ownDeadline: Date | null): string {
    const rolled = rolledBackAutomatically(history);
    const ours = ownDeadline ? `; the commit confirmed of this run was due to roll back at ${isoSeconds(ownDeadline)}` : '';
    const why = rolled
      ? `it was already rolled back automatically (${rolled.dateText || 'time unknown'}: ${rolled.comment || rolled.log || 'automatic rollback'})`
      : 'it was already confirmed or rolled back, or none was made';
    return `no commit confirmed is pending: ${why}${ours}`;
  }

  /** Locks or opens a private candidate; a verdict when that failed (then nothing is held and nothing was discarded). */
  private async enter(privately: boolean): Promise<ConfigVerdict | null> {
    const { label } = this.ctx;
    await this.cli(`configure ${privately ? 'private' : 'exclusive'}`, '>');
    const reply = await this.rpc(privately ? openPrivateRpc() : lockRpc());
    const errors = await this.show(reply);
    if (errors.length === 0) {
      this.phase = 'editing';
      return null;
    }
    const said = summarizeRpcErrors(errors);
    if (/modified/i.test(said)) {
      return {
        status: 'error',
        message: `the shared candidate configuration of ${label} has uncommitted changes by another session (${said}), so Modus did not lock it, load anything or discard them; whoever made them should commit or discard them (show | compare in configure mode), or run this block with :private`,
      };
    }
    if (/lock/i.test(said)) {
      return { status: 'error', message: `the configuration of ${label} is locked by someone else (${said}); Modus loaded nothing and discarded nothing. Wait for them to finish, or ask them to exit configuration mode` };
    }
    return { status: 'error', message: `${label} refused to open the configuration for editing (${said}); nothing was loaded` };
  }

  /** Unlocks (or closes the private candidate); problems are shown as warnings: the change itself is done or undone. */
  private async leave(privately: boolean): Promise<void> {
    if (this.phase === 'before' || !this.ctx.session.alive || this.ctx.signal.aborted) return;
    await this.cli('exit');
    const reply = await this.rpc(privately ? closeConfigurationRpc() : unlockRpc());
    const errors = failures(reply);
    for (const w of warningsOnly(reply.errors)) await this.ctx.out.write(`${formatRpcError(w)}\n`);
    if (errors.length > 0) {
      await this.ctx.out.note(`${this.ctx.label} did not ${privately ? 'close the private candidate' : 'release the lock'} cleanly (${summarizeRpcErrors(errors)}); ending the NETCONF session releases it`);
      await this.ctx.session.close(CLOSE_GRACE_MS);
    } else {
      await this.ctx.out.write('Exiting configuration mode\n');
    }
    if (this.phase === 'editing') this.phase = 'before';
  }

  /** Back to the active configuration (we hold the lock): the change is not left in the candidate. */
  private async discard(): Promise<void> {
    await this.cli('rollback 0');
    const errors = await this.show(await this.rpc(rollbackRpc(0)));
    if (errors.length === 0) await this.ctx.out.write('load complete\n');
  }

  private async changeUnderLock(spec: ChangeSpec, pending: PendingConfirm | null): Promise<ConfigVerdict> {
    const { label, out } = this.ctx;
    const unchanged = 'nothing was changed (the candidate was rolled back)';

    await this.cli(loadCommand(spec.load));
    const loaded = await this.rpc(loadRpc(spec.load));
    const loadErrors = await this.show(loaded);
    if (loadErrors.length > 0 || loadErrorCount(loaded) > 0) {
      await this.discard();
      const said = loadErrors.length > 0 ? summarizeRpcErrors(loadErrors) : `${loadErrorCount(loaded)} error(s)`;
      return { status: 'fail', message: `the configuration did not load on ${label}: ${said}; ${unchanged}` };
    }
    await out.write('load complete\n');

    await this.cli('show | compare');
    const diffReply = await this.rpc(diffRpc());
    if ((await this.show(diffReply)).length > 0) {
      await this.discard();
      return { status: 'error', message: `${label} could not compare the candidate with the active configuration: ${summarizeRpcErrors(failures(diffReply))}; ${unchanged}` };
    }
    const diff = diffText(diffReply);
    if (diff === '') {
      await this.discard();
      await out.note(`no change: ${label} already has this configuration; nothing was committed`);
      return { status: 'pass' };
    }
    await out.write(diff);

    await this.cli('commit check');
    const checkErrors = await this.show(await this.rpc(commitCheckRpc()));
    if (checkErrors.length > 0) {
      await this.discard();
      return { status: 'fail', message: `commit check failed on ${label}: ${summarizeRpcErrors(checkErrors)}; ${unchanged}` };
    }
    await out.write('configuration check succeeds\n');

    if (spec.commit.mode === 'check') {
      await this.discard();
      await out.note(`checked only (:commit check): the candidate was rolled back; nothing changed on ${label}`);
      return { status: 'pass' };
    }
    const minutes = spec.commit.mode === 'confirmed' ? spec.commit.minutes : undefined;
    await this.cli(`commit${minutes !== undefined ? ` confirmed ${minutes}` : ''} comment ${JSON.stringify(spec.log)}`);
    this.phase = 'committing';
    this.confirmMinutes = minutes ?? null;
    this.commitSentAt = this.ctx.now();
    const commitErrors = await this.show(await this.rpc(commitRpc({ log: spec.log, ...(minutes !== undefined ? { confirmMinutes: minutes } : {}) })));
    if (commitErrors.length > 0) {
      this.phase = 'editing';
      await this.discard();
      return { status: 'fail', message: `the commit failed on ${label}: ${summarizeRpcErrors(commitErrors)}; ${unchanged}` };
    }
    this.phase = 'committed';
    if (minutes !== undefined) {
      const at = new Date(this.commitSentAt.getTime() + minutes * 60_000);
      this.rollbackAt = at;
      await out.write(`commit confirmed will be automatically rolled back in ${minutes} minute${minutes === 1 ? '' : 's'} unless confirmed\ncommit complete\n`);
      await out.note(`${label} rolls this commit back at ${isoSeconds(at)} unless it is confirmed (a later block with :commit confirm)${pending ? `; this also replaced the rollback that was pending (${describePending(pending)})` : ''}`);
      return { status: 'pass', pendingRollback: { at } };
    }
    await out.write('commit complete\n');
    if (pending) {
      await out.note(`this commit also confirmed the commit confirmed that was pending on ${label} (${describePending(pending)}): Junos takes any commit as the confirmation`);
      return { status: 'pass', pendingRollback: null };
    }
    return { status: 'pass' };
  }
}

/** Time to wait for `<close-session/>` to be answered before the channel is ended. */
export const CLOSE_GRACE_MS = 5000;

function loadRpc(load: JunosLoad): string {
  switch (load.format) {
    case 'text':
      return loadTextRpc(load.action, load.text);
    case 'set':
      return loadSetRpc(load.text);
    case 'rollback':
      return rollbackRpc(load.index);
  }
}

/** The CLI command that does what the load does. */
export function loadCommand(load: JunosLoad): string {
  switch (load.format) {
    case 'text':
      return `load ${load.action} terminal`;
    case 'set':
      return 'load set terminal';
    case 'rollback':
      return `rollback ${load.index}`;
  }
}

function describePending(p: PendingConfirm): string {
  const who = p.entry.user ? ` by ${p.entry.user}` : '';
  const when = p.entry.dateText ? ` at ${p.entry.dateText}` : '';
  const log = p.entry.log ? `, "${p.entry.log}"` : '';
  const due = p.deadline ? `; it rolls back at ${isoSeconds(p.deadline)}` : `; it rolls back ${p.minutes} minute${p.minutes === 1 ? '' : 's'} after it was made`;
  return `committed${who}${when}${log}${due}`;
}

/** `2026-11-23T19:45:02Z`. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
