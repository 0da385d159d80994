// One simulated router's configuration database: the active configuration,
// the shared candidate (and who has uncommitted changes in it), private
// candidates, the exclusive lock, up to 50 rollbacks, and a pending
// commit confirmed with its automatic rollback. NETCONF sessions and
// simulated CLI users act on it as "owners". Errors are thrown as the
// rpc-errors Junos would send.

import { junosDate, type SimClock } from './clock.js';
import { CHECK_OUT_FAILED, commitCheck } from './commit-check.js';
import { diffConfig } from './config-diff.js';
import { loadRequest, type LoadOutcome, type LoadRequest } from './config-loading.js';
import { parseCurly } from './config-parse.js';
import { editPath } from './config-path.js';
import { printCurly } from './config-print.js';
import { cloneTree, type ConfigNode } from './config-tree.js';
import { replayPrivateChanges } from './private-merge.js';
import { RpcFailure, fail, type RpcErrorSpec } from './rpc-error.js';
import type { SimFault } from './faults.js';

export const MAX_ROLLBACKS = 50;
export const AUTOMATIC_ROLLBACK_COMMENT = 'Commit was not confirmed; automatic rollback complete';

/** Someone acting on the database: a NETCONF session or a simulated CLI user. */
export interface Owner {
  id: string;
  user: string;
  client: 'netconf' | 'cli';
  /** Junos shows it as the pid of the user's management process. */
  pid: number;
  since: Date;
}

export interface CommitRecord {
  tree: ConfigNode;
  user: string;
  at: Date;
  log: string | null;
  comment: string;
  /** `via netconf`, `via cli`, `via other` in show system commit. */
  client: 'netconf' | 'cli' | 'other';
}

export interface CommitOptions {
  check?: boolean;
  /** Commit confirmed: automatic rollback after this many minutes unless confirmed. */
  confirmMinutes?: number;
  log?: string;
  /** RFC 6241 <persist>: the token a later commit must give as <persist-id>. */
  persist?: string;
}

interface PrivateCandidate {
  tree: ConfigNode;
  base: ConfigNode;
}

interface PendingConfirm {
  deadline: Date;
  timer: unknown;
  /** The configuration before the first commit of the confirmed series. */
  rollbackTo: ConfigNode;
  user: string;
  persist?: string;
}

function holderLine(o: Owner): string {
  const how = o.client === 'cli' ? `terminal p${o.pid % 10}` : 'using netconf';
  return `  ${o.user} ${how} (pid ${o.pid}) on since ${junosDate(o.since)}`;
}

export class DeviceState {
  #active: ConfigNode;
  #shared: ConfigNode;
  readonly #dirtyBy = new Map<string, Owner>();
  #lock: Owner | null = null;
  readonly #private = new Map<string, PrivateCandidate>();
  readonly #history: CommitRecord[] = [];
  #pending: PendingConfirm | null = null;
  readonly faults: SimFault[] = [];
  /** When each BGP neighbor (by address) came up: set when a commit first shows it. */
  readonly peerUpSince = new Map<string, Date>();
  /** Called after every change of the active configuration (commits and automatic rollbacks). */
  onActiveChange: () => void = () => undefined;

  constructor(
    readonly name: string,
    readonly clock: SimClock,
    initialText: string,
  ) {
    const parsed = parseCurly(initialText);
    if (parsed.errors.length > 0) {
      const e = parsed.errors[0]!;
      throw new Error(`initial configuration of ${name} does not parse: ${editPath(e.path)} ${e.message}${e.badElement ? ` (${e.badElement})` : ''}${e.line ? ` at line ${e.line}` : ''}`);
    }
    this.#active = parsed.tree;
    this.#shared = cloneTree(parsed.tree);
    this.#history.push({ tree: cloneTree(parsed.tree), user: 'root', at: clock.now(), log: null, comment: '', client: 'cli' });
  }

  get active(): ConfigNode {
    return this.#active;
  }

  get shared(): ConfigNode {
    return this.#shared;
  }

  get history(): readonly CommitRecord[] {
    return this.#history;
  }

  get pending(): { deadline: Date; user: string } | null {
    return this.#pending && { deadline: this.#pending.deadline, user: this.#pending.user };
  }

  get lockHolder(): Owner | null {
    return this.#lock;
  }

  /** Who has uncommitted changes in the shared candidate. */
  get dirtyBy(): Owner[] {
    return [...this.#dirtyBy.values()];
  }

  hasPrivate(o: Owner): boolean {
    return this.#private.has(o.id);
  }

  /** The candidate `o` edits: its private copy, or the shared one. */
  candidate(o: Owner): ConfigNode {
    return this.#private.get(o.id)?.tree ?? this.#shared;
  }

  #fault<K extends SimFault['kind']>(kind: K): Extract<SimFault, { kind: K }> | undefined {
    return this.faults.find((f): f is Extract<SimFault, { kind: K }> => f.kind === kind);
  }

  #lockedError(holder: { user: string; line: string }): RpcFailure {
    return new RpcFailure([{ message: `configuration database locked by:\n${holder.line}\n      exclusive [edit]`, tag: 'lock-denied' }]);
  }

  #otherHolder(o: Owner): Owner | null {
    return this.#lock && this.#lock.id !== o.id ? this.#lock : null;
  }

  #assertNotLockedByOther(o: Owner): void {
    const other = this.#otherHolder(o);
    if (other) throw this.#lockedError({ user: other.user, line: holderLine(other) });
  }

  lock(o: Owner): void {
    const held = this.#fault('lock-held');
    if (held) throw this.#lockedError({ user: held.by, line: `  ${held.by} terminal p1 (pid 4242) on since ${junosDate(this.clock.now())}` });
    const modified = this.#fault('candidate-modified');
    if (modified) throw new RpcFailure([{ message: 'configuration database modified', tag: 'lock-denied' }]);
    if (this.#lock) {
      if (this.#lock.id === o.id) fail('configuration database already locked by this session', { tag: 'lock-denied' });
      throw this.#lockedError({ user: this.#lock.user, line: holderLine(this.#lock) });
    }
    const others = this.dirtyBy.filter((d) => d.id !== o.id);
    if (others.length > 0) throw new RpcFailure([{ message: 'configuration database modified', tag: 'lock-denied' }]);
    this.#lock = o;
  }

  unlock(o: Owner): void {
    if (this.#lock?.id !== o.id) fail('Configuration database is not open');
    this.#lock = null;
  }

  openPrivate(o: Owner): void {
    if (this.#private.has(o.id)) return;
    this.#assertNotLockedByOther(o);
    const editing = this.dirtyBy.filter((d) => d.id !== o.id);
    if (editing.length > 0) {
      fail(`shared configuration database modified\nUsers currently editing the configuration:\n${editing.map(holderLine).join('\n')}`);
    }
    this.#private.set(o.id, { tree: cloneTree(this.#active), base: cloneTree(this.#active) });
  }

  closePrivate(o: Owner): void {
    this.#private.delete(o.id);
  }

  /** Applies a load to `o`'s candidate; returns the problems (the caller turns errors into a failed reply). */
  load(o: Owner, request: LoadRequest): LoadOutcome {
    return this.#edit(o, (tree) => loadRequest(tree, request));
  }

  /** `load-configuration rollback="N"`: the candidate becomes rollback N (nothing is committed). */
  loadRollback(o: Owner, n: number): void {
    const record = this.#rollback(n);
    this.#edit(o, () => ({ result: cloneTree(record.tree), problems: [] }));
  }

  discard(o: Owner): void {
    const priv = this.#private.get(o.id);
    if (priv) {
      priv.tree = cloneTree(this.#active);
      priv.base = cloneTree(this.#active);
      return;
    }
    this.#assertNotLockedByOther(o);
    this.#shared = cloneTree(this.#active);
    this.#dirtyBy.clear();
  }

  /** The `show | compare rollback N` text for `o`'s candidate. */
  compare(o: Owner, n: number): string {
    return diffConfig(this.#rollback(n).tree, this.candidate(o));
  }

  #rollback(n: number): CommitRecord {
    if (!Number.isInteger(n) || n < 0 || n >= MAX_ROLLBACKS) fail(`Value ${n} is not within range (0..${MAX_ROLLBACKS - 1})`, { badElement: String(n) });
    const record = this.#history[n];
    if (!record) fail(`rollback ${n} does not exist (this device has rollbacks 0..${this.#history.length - 1})`, { badElement: String(n) });
    return record;
  }

  #edit(o: Owner, change: (tree: ConfigNode) => LoadOutcome): LoadOutcome {
    const priv = this.#private.get(o.id);
    if (priv) {
      const outcome = change(priv.tree);
      priv.tree = outcome.result;
      return outcome;
    }
    this.#assertNotLockedByOther(o);
    const before = printCurly(this.#shared);
    const outcome = change(this.#shared);
    this.#shared = outcome.result;
    const after = printCurly(outcome.result);
    // Back to the active configuration (a `rollback 0` after a failed load): nothing is uncommitted any more, as on Junos.
    if (after === printCurly(this.#active)) this.#dirtyBy.clear();
    else if (after !== before) this.#dirtyBy.set(o.id, o);
    return outcome;
  }

  /** Commit (or commit check) `o`'s candidate. Throws the commit-results errors when the check fails. */
  commit(o: Owner, options: CommitOptions = {}): void {
    const priv = this.#private.get(o.id);
    let candidate: ConfigNode;
    if (priv) {
      if (options.confirmMinutes !== undefined && !options.check) fail("'commit confirmed' is not supported in private mode");
      this.#assertNotLockedByOther(o);
      const editing = this.dirtyBy.filter((d) => d.id !== o.id);
      if (editing.length > 0) fail(`shared configuration database modified\nUsers currently editing the configuration:\n${editing.map(holderLine).join('\n')}`);
      candidate = replayPrivateChanges(priv.base, priv.tree, this.#active);
    } else {
      this.#assertNotLockedByOther(o);
      candidate = this.#shared;
    }
    const problems = commitCheck(candidate);
    if (problems.length > 0) {
      const errors: RpcErrorSpec[] = problems.map((p) => ({ type: 'application', tag: 'invalid-value', path: editPath(p.path), message: p.message, badElement: p.element }));
      errors.push({ message: CHECK_OUT_FAILED });
      throw new RpcFailure(errors, { name: 'commit-results' });
    }
    if (options.check) {
      // Junos: "commit check" also confirms a pending commit confirmed.
      this.#confirmPending();
      return;
    }
    const previous = this.#active;
    this.#active = cloneTree(candidate);
    this.#shared = cloneTree(candidate);
    this.#dirtyBy.clear();
    if (priv) {
      priv.tree = cloneTree(candidate);
      priv.base = cloneTree(candidate);
    }
    let comment = '';
    if (options.confirmMinutes !== undefined) {
      const minutes = options.confirmMinutes;
      comment = `commit confirmed, rollback in ${minutes}mins`;
      const rollbackTo = this.#pending?.rollbackTo ?? previous;
      this.#cancelPending();
      const deadline = new Date(this.clock.now().getTime() + minutes * 60_000);
      const timer = this.clock.schedule(minutes * 60_000, () => this.#automaticRollback());
      this.#pending = { deadline, timer, rollbackTo, user: o.user, persist: options.persist };
    } else {
      this.#confirmPending();
    }
    this.#record({ tree: cloneTree(candidate), user: o.user, at: this.clock.now(), log: options.log ?? null, comment, client: o.client });
    // "rollback in 0mins" (a standard <commit> given less than 60 seconds): Junos rolls back at once.
    if (options.confirmMinutes === 0) this.#automaticRollback();
  }

  /** RFC 6241 <persist-id>: must name the pending confirmed commit. */
  checkPersistId(id: string): void {
    if (!this.#pending) fail(`no confirmed commit is pending for persist-id ${id}: it was confirmed, cancelled or rolled back`, { type: 'protocol', tag: 'invalid-value', badElement: 'persist-id' });
    if (this.#pending.persist !== id) fail(`persist-id ${id} does not match the pending confirmed commit`, { type: 'protocol', tag: 'invalid-value', badElement: 'persist-id' });
  }

  /** RFC 6241 <cancel-commit>: roll back a pending confirmed commit now. */
  cancelPending(): void {
    if (!this.#pending) fail('No pending confirmed commit to cancel', { type: 'protocol', tag: 'invalid-value' });
    this.#automaticRollback('Commit was cancelled; rollback complete');
  }

  #confirmPending(): void {
    this.#cancelPending();
  }

  #cancelPending(): void {
    if (this.#pending) this.clock.cancel(this.#pending.timer);
    this.#pending = null;
  }

  #automaticRollback(comment = AUTOMATIC_ROLLBACK_COMMENT): void {
    const pending = this.#pending;
    if (!pending) return;
    this.#cancelPending();
    this.#active = cloneTree(pending.rollbackTo);
    this.#shared = cloneTree(pending.rollbackTo);
    this.#dirtyBy.clear();
    this.#record({ tree: cloneTree(pending.rollbackTo), user: pending.user, at: this.clock.now(), log: null, comment, client: 'other' });
  }

  #record(r: CommitRecord): void {
    this.#history.unshift(r);
    this.#history.length = Math.min(this.#history.length, MAX_ROLLBACKS);
    this.onActiveChange();
  }

  /** A session ends: its lock is released and, if it held the lock, its uncommitted changes are discarded (RFC 6241 §7.5). */
  endSession(o: Owner): void {
    this.#private.delete(o.id);
    if (this.#lock?.id !== o.id) return;
    this.#lock = null;
    if (this.#dirtyBy.has(o.id)) {
      this.#shared = cloneTree(this.#active);
      this.#dirtyBy.clear();
    }
  }

  /** Stops the confirm timer (the simulator is shutting down). */
  dispose(): void {
    this.#cancelPending();
  }
}
