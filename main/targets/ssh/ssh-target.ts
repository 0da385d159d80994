// A Linux host over the user's OpenSSH client: fresh runs (ssh-run.ts) and
// `:session` shells (ssh-session.ts) over one multiplexed connection
// (ssh-connection.ts). The engine sees a Target like any other.

import type { RunIO, ScriptOutcome, ScriptRequest, SessionOptions, Target, TargetSession } from '../target.js';
import type { SshDestination } from './destination.js';
import { SshConnection, type SshShared } from './ssh-connection.js';
import { runOverSsh } from './ssh-run.js';
import { SshSession } from './ssh-session.js';

export class SshTarget implements Target {
  readonly connection: SshConnection;
  private readonly sessions = new Set<SshSession>();

  constructor(label: string, destination: SshDestination, private readonly shared: SshShared) {
    this.connection = new SshConnection(label, destination, shared);
    // Read now: the targets of a block are made together, so their `ssh -G`s go out in one batch (a failure is read again, and reported, when a block runs).
    this.connection.config().catch(() => undefined);
  }

  describe(): string {
    return this.connection.label;
  }

  /** A fresh run, once a client may start (the open-file limit, client-budget.ts); its clock starts then. Sessions keep their client for the run's whole life, so they take no slot: waiting on them could never end. */
  run(req: ScriptRequest, io: RunIO): Promise<ScriptOutcome> {
    return this.shared.clients.use(
      () => runOverSsh(this.connection, req, io),
      (waiting) => io.waiting?.(waiting ? this.shared.clientsWhy : null),
    );
  }

  async openSession(name: string, options: SessionOptions = {}): Promise<TargetSession> {
    const s = new SshSession(name, this.connection, options);
    this.sessions.add(s);
    return s;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.sessions].map((s) => s.dispose()));
    this.sessions.clear();
  }
}
