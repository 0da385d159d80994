// Which target runs a host's blocks: this machine for blocks without :host
// (and `:host local`), the SSH target for Linux hosts, the Junos target
// (NETCONF over the same ssh machinery) for `platform: junos` devices; one
// target per host label for the whole run so connections and sessions are
// reused. The SSH and Junos hosts of a run share one socket directory, one
// askpass and one limit on connections being set up at once.

import { LocalTarget } from '../targets/local.js';
import type { SecretPrompter } from '../targets/ssh/askpass.js';
import { SshShared, type LentMaster } from '../targets/ssh/ssh-connection.js';
import { SshTarget } from '../targets/ssh/ssh-target.js';
import { LazyTarget } from '../targets/lazy-target.js';
import type { SshDestination } from '../targets/ssh/destination.js';
import type { HostSpec, Target, TargetResolver } from '../targets/target.js';
import { hostDestination } from './host-destination.js';

export interface HostTargetsOptions {
  /** Where local blocks run by default: the notebook's directory. */
  notebookDir: string;
  /** `ssh -F FILE` (labs); absent: the user's ~/.ssh/config. */
  sshConfig?: string;
  acceptNewHostKeys?: boolean;
  /** How a user accepts a new host key here, for messages. */
  acceptHint?: string;
  /** Asks for passwords and passphrases; absent: ssh runs in batch mode and fails instead of asking. */
  prompter?: SecretPrompter;
  /** SSH connections set up at once. */
  setupLimit?: number;
}

export class HostTargets implements TargetResolver {
  private local: LocalTarget | null = null;
  private readonly ssh = new Map<string, SshTarget>();
  private readonly junos = new Map<string, LazyTarget>();
  private shared: SshShared | null = null;

  constructor(private readonly options: HostTargetsOptions) {}

  resolve(host: HostSpec | undefined): Target | { error: string } {
    if (host === undefined || host.local) {
      this.local ??= new LocalTarget({ defaultCwd: this.options.notebookDir });
      return this.local;
    }
    if (host.platform === 'junos') {
      let j = this.junos.get(host.label);
      if (!j) {
        // The NETCONF port: the inventory's, else ssh config's for the host, else 830 (ssh-link.ts).
        const destination = hostDestination(host);
        const shared = this.sharedState();
        j = new LazyTarget(host.label, async () => {
          const [{ JunosTarget }, { SshNetconfLink }] = await Promise.all([import('../targets/junos/junos-target.js'), import('../targets/junos/ssh-link.js')]);
          return new JunosTarget(host.label, new SshNetconfLink(host.label, destination, shared));
        });
        this.junos.set(host.label, j);
      }
      return j;
    }
    if (host.platform !== undefined && host.platform !== 'linux') {
      return { error: `${host.label} is a ${host.platform} host, and this version of Modus runs blocks on Linux hosts (over SSH), Junos devices (NETCONF) and locally only` };
    }
    let t = this.ssh.get(host.label);
    if (!t) {
      t = new SshTarget(host.label, hostDestination(host), this.sharedState());
      this.ssh.set(host.label, t);
    }
    return t;
  }

  /** A master this resolver's connections opened to exactly `destination`, lent to an SSH tab (ssh-connection.ts lendMaster). */
  lendMaster(destination: SshDestination): Promise<LentMaster | null> {
    return this.shared?.lendMaster(destination) ?? Promise.resolve(null);
  }

  /** Drops the key passphrases kept for the run's other hosts: called when a run of the app ends (the CLI's end with its resolver). */
  forgetSecrets(): void {
    this.shared?.forgetSecrets();
  }

  private sharedState(): SshShared {
    const o = this.options;
    this.shared ??= new SshShared({
      ...(o.sshConfig !== undefined ? { configFile: o.sshConfig } : {}),
      ...(o.acceptNewHostKeys ? { acceptNewHostKeys: true } : {}),
      ...(o.acceptHint !== undefined ? { acceptHint: o.acceptHint } : {}),
      ...(o.prompter ? { prompter: o.prompter } : {}),
      ...(o.setupLimit !== undefined ? { setupLimit: o.setupLimit } : {}),
    });
    return this.shared;
  }

  async dispose(): Promise<void> {
    await Promise.all([this.local?.dispose(), ...[...this.ssh.values(), ...this.junos.values()].map((t) => t.dispose())]);
    this.local = null;
    this.ssh.clear();
    this.junos.clear();
    await this.shared?.close();
    this.shared = null;
  }
}
