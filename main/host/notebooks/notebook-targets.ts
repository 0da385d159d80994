// Where an open notebook's blocks run, kept for as long as the notebook is
// open: one resolver (targets, SSH connections) and one pool of `:session`
// shells, shared by its runs, so a session outlives a run (the blocks of the
// next run find its cwd and variables, and it can be taken over by hand in a
// terminal tab between runs). Everything ends when the notebook is closed or
// the app quits (close()). `modus run` does not use this: its sessions end
// with the run.

import { DEFAULT_PARALLEL } from '../../notebook/header-args.js';
import { HostTargets } from '../../run/host-targets.js';
import { SessionPool } from '../../run/session-pool.js';
import type { SecretPrompter } from '../../targets/ssh/askpass.js';
import type { SshDestination } from '../../targets/ssh/destination.js';
import type { LentMaster } from '../../targets/ssh/ssh-connection.js';

export class NotebookTargets {
  readonly sessions = new SessionPool();
  private current: { resolver: HostTargets; sshConfig: string | null } | null = null;
  /** Resolvers replaced after a change of the sshConfig setting, ended once no run uses them. */
  private retired: HostTargets[] = [];
  private active = 0;
  private closed = false;

  constructor(
    private readonly notebookDir: string,
    private readonly prompter: SecretPrompter,
  ) {}

  /** The resolver for a run or a take-over, under the ssh_config the settings name now. */
  resolver(sshConfig: string | null): HostTargets {
    if (this.current && this.current.sshConfig !== sshConfig) {
      // Its sessions and connections were made under the old configuration: they end once the runs using them are over.
      this.retired.push(this.current.resolver);
      this.current = null;
      this.sessions.clear();
    }
    this.current ??= {
      sshConfig,
      resolver: new HostTargets({
        notebookDir: this.notebookDir,
        ...(sshConfig !== null ? { sshConfig } : {}),
        acceptHint: 'connect to the host once in an SSH tab (Ctrl+Shift+S) and accept its key there, or run modus run --accept-new-host-keys',
        prompter: this.prompter,
        setupLimit: DEFAULT_PARALLEL,
      }),
    };
    return this.current.resolver;
  }

  /** A master of this notebook's connections to exactly `destination` under `sshConfig`, for an SSH tab; null when none is up. */
  lendMaster(destination: SshDestination, sshConfig: string | null): Promise<LentMaster | null> {
    if (this.closed || !this.current || this.current.sshConfig !== sshConfig) return Promise.resolve(null);
    return this.current.resolver.lendMaster(destination);
  }

  /** A run starts using the resolver; the function returned says it ended. */
  using(): () => Promise<void> {
    this.active++;
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      this.active--;
      if (this.active > 0) return;
      // A passphrase given for one run is not kept for the next: the connections it opened stay, the answer does not.
      this.current?.resolver.forgetSecrets();
      await this.disposeRetired();
    };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Ends every session (a hold by hand ends too, and its tab is told) and connection. */
  async close(): Promise<void> {
    this.closed = true;
    const current = this.current;
    this.current = null;
    this.sessions.clear();
    await Promise.all([current?.resolver.dispose(), this.disposeRetired()]);
  }

  private async disposeRetired(): Promise<void> {
    const retired = this.retired;
    this.retired = [];
    await Promise.all(retired.map((r) => r.dispose()));
  }
}
