// A simulated device as tests see it (the SimDevice interface of harness.ts)
// and as sessions use it: its configuration database, its sessions, the
// RPC transcript, injected faults, BGP session ages, and simulated CLI users
// who hold the lock or leave uncommitted changes in the shared candidate.

import { bgpPeers } from './bgp-peers.js';
import type { SimClock } from './clock.js';
import { errorCount } from './config-loading.js';
import { editPath } from './config-path.js';
import { printCurly, printSet } from './config-print.js';
import { DeviceState, type Owner } from './device-state.js';
import type { SimFault } from './faults.js';
import { NetconfSession, type SessionIo, type TranscriptEntry } from './netconf-session.js';
import type { OpContext } from './op-types.js';
import { RpcFailure } from './rpc-error.js';

export interface SimDevice {
  name: string;
  port: number;
  /** Active configuration, curly text as `show configuration` prints it (without the `## Last commit` line). */
  activeText(): string;
  /** The shared candidate (private candidates belong to their sessions). */
  candidateText(): string;
  /** [0] = current. */
  history(): { user: string; at: Date; log: string | null; comment: string }[];
  pendingConfirm(): { deadline: Date } | null;
  lockHolder(): string | null;
  /** RPCs seen, oldest first. */
  transcript(): { rpc: string; reply: string }[];
  fault(f: SimFault): void;
  clearFaults(): void;
  /** A simulated CLI user: holds the lock, or has edited the shared candidate (uncommitted). */
  otherUser(user: string, what: { lock?: boolean; editSet?: string[] }): void;
}

export class SimDeviceRuntime implements SimDevice {
  readonly state: DeviceState;
  readonly bootedAt: Date;
  /** Sessions refused by the refuse-subsystem fault (the client only sees the subsystem exit: sshd drops a subsystem's stderr). */
  refusedSessions = 0;
  readonly #transcript: TranscriptEntry[] = [];
  readonly #sessions = new Map<number, NetconfSession>();
  readonly #cliUsers = new Map<string, Owner>();
  /** BGP session start per "instance/address"; a peer that goes away and comes back starts again. */
  readonly #peerSince = new Map<string, Date>();

  constructor(
    readonly name: string,
    public port: number,
    clock: SimClock,
    initialConfig: string,
    private readonly nextSessionId: () => number,
  ) {
    this.state = new DeviceState(name, clock, initialConfig);
    this.bootedAt = clock.now();
    this.state.onActiveChange = () => this.#refreshPeers();
    this.#refreshPeers();
  }

  #refreshPeers(): void {
    const now = this.state.clock.now();
    const up = new Set(
      bgpPeers(this.state.active)
        .filter((p) => p.established)
        .map((p) => `${p.instance}/${p.address}`),
    );
    for (const key of [...this.#peerSince.keys()]) if (!up.has(key)) this.#peerSince.delete(key);
    for (const key of up) if (!this.#peerSince.has(key)) this.#peerSince.set(key, now);
  }

  opContext(): OpContext {
    return {
      state: this.state,
      deviceName: this.name,
      bootedAt: this.bootedAt,
      peerUpSince: (instance, address) => this.#peerSince.get(`${instance}/${address}`) ?? this.state.clock.now(),
    };
  }

  // ---- SimDevice

  activeText(): string {
    return printCurly(this.state.active);
  }

  candidateText(): string {
    return printCurly(this.state.shared);
  }

  /** The active configuration as `| display set` prints it. */
  activeSetText(): string {
    return printSet(this.state.active.children);
  }

  history(): { user: string; at: Date; log: string | null; comment: string; client: string }[] {
    return this.state.history.map((r) => ({ user: r.user, at: new Date(r.at), log: r.log, comment: r.comment, client: r.client }));
  }

  pendingConfirm(): { deadline: Date } | null {
    const p = this.state.pending;
    return p && { deadline: new Date(p.deadline) };
  }

  lockHolder(): string | null {
    return this.state.lockHolder?.user ?? null;
  }

  transcript(): TranscriptEntry[] {
    return this.#transcript.map((e) => ({ ...e }));
  }

  fault(f: SimFault): void {
    this.state.faults.push({ ...f });
  }

  clearFaults(): void {
    this.state.faults.length = 0;
  }

  otherUser(user: string, what: { lock?: boolean; editSet?: string[] }): void {
    const owner = this.#cliUser(user);
    try {
      if (what.lock && this.state.lockHolder?.id !== owner.id) this.state.lock(owner);
      if (what.editSet) {
        const outcome = this.state.load(owner, { kind: 'set', text: what.editSet.join('\n') });
        const errors = outcome.problems.filter((p) => p.severity === 'error');
        if (errorCount(outcome.problems) > 0) throw new Error(errors.map((e) => `${editPath(e.path)} ${e.message}${e.badElement ? ` (${e.badElement})` : ''}`).join('; '));
      }
    } catch (err) {
      if (err instanceof RpcFailure) throw new Error(`${user} cannot do that on ${this.name}: ${err.message}`);
      throw err;
    }
  }

  /**
   * The CLI user leaves configuration mode. After `configure exclusive`
   * (holding the lock) their uncommitted changes are discarded, as Junos
   * does; after plain `configure` they stay in the shared candidate.
   */
  otherUserExit(user: string): void {
    const owner = this.#cliUsers.get(user);
    if (!owner) return;
    this.state.endSession(owner);
    this.#cliUsers.delete(user);
  }

  /** The CLI user commits the shared candidate. */
  otherUserCommit(user: string, log?: string): void {
    this.state.commit(this.#cliUser(user), { log });
  }

  #cliUser(user: string): Owner {
    let owner = this.#cliUsers.get(user);
    if (!owner) {
      owner = { id: `cli:${user}`, user, client: 'cli', pid: 4000 + this.#cliUsers.size * 7 + 1, since: this.state.clock.now() };
      this.#cliUsers.set(user, owner);
    }
    return owner;
  }

  /** Open NETCONF sessions. */
  sessions(): { id: number; user: string }[] {
    return [...this.#sessions.values()].map((s) => ({ id: s.id, user: s.owner.user }));
  }

  // ---- for sessions and the daemon

  activeFault<K extends SimFault['kind']>(kind: K): Extract<SimFault, { kind: K }> | undefined {
    return this.state.faults.find((f): f is Extract<SimFault, { kind: K }> => f.kind === kind);
  }

  /** Removes and returns a one-shot fault. */
  takeFault(kind: 'malformed-reply'): boolean {
    const i = this.state.faults.findIndex((f) => f.kind === kind);
    if (i < 0) return false;
    this.state.faults.splice(i, 1);
    return true;
  }

  record(entry: TranscriptEntry): void {
    this.#transcript.push(entry);
  }

  openSession(user: string, io: SessionIo, base11: boolean): NetconfSession {
    const session = new NetconfSession(this, this.nextSessionId(), user, io, base11);
    this.#sessions.set(session.id, session);
    session.start();
    return session;
  }

  sessionEnded(session: NetconfSession): void {
    this.#sessions.delete(session.id);
    this.state.endSession(session.owner);
  }

  killSession(id: number): boolean {
    const s = this.#sessions.get(id);
    if (!s) return false;
    s.kill();
    return true;
  }

  killAll(): void {
    for (const s of this.#sessions.values()) s.kill();
  }

  dispose(): void {
    this.killAll();
    this.state.dispose();
  }
}
