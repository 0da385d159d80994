// One real sshd on 127.0.0.1 with its client files, shared by a test file's
// tests, and a way to run a block on it through the SSH target.

import { before, after } from 'node:test';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostBlock, makeClient, startSshd, stopSshd, sshdAvailable, type ClientFiles, type SshdHost } from '../../helpers/sshd.js';
import { SshShared, type SshSharedOptions } from '../../../main/targets/ssh/ssh-connection.js';
import { SshTarget } from '../../../main/targets/ssh/ssh-target.js';
import type { ScriptOutcome, ScriptRequest, ScriptRunner } from '../../../main/targets/target.js';

export interface SshFixture {
  dir: string;
  host: SshdHost;
  client: ClientFiles;
  shared: SshShared;
  target(options?: Partial<SshSharedOptions>, label?: string): SshTarget;
  /**
   * A target for `host` over its own shared state (its own masters), with a
   * config file `ssh_config.NAME` made from the fixture's by `edit`; closed
   * with the fixture.
   */
  withConfig(o: { name: string; edit?: (config: string) => string; host?: string; options?: Partial<SshSharedOptions> }): Promise<{ target: SshTarget; shared: SshShared }>;
  /** Logins the sshd accepted so far (its log): how many connections a test made. */
  acceptedLogins(): Promise<number>;
  /** An ssh_config block for another name of the fixture's sshd (`Host NAME`), optionally behind a ProxyJump. */
  alias(name: string, jump?: string): string;
  close(): Promise<void>;
}

/** Why SSH tests cannot run here, or null. */
export function sshSkipReason(): string | null {
  return sshdAvailable();
}

/**
 * The fixture of a test file: started by node:test's `before` (then
 * `setUp`, the file's own preparation), closed by its `after`. `skip` says
 * why SSH tests cannot run here (null when they can); `f` is there inside
 * tests.
 */
export function fixtureForFile(setUp?: (f: SshFixture) => Promise<void>): { skip: string | null; readonly f: SshFixture } {
  const skip = sshSkipReason();
  let made: SshFixture | undefined;
  before(async () => {
    if (skip) return;
    made = await sshFixture();
    await setUp?.(made);
  });
  after(async () => {
    await made?.close();
  });
  return {
    skip,
    get f(): SshFixture {
      if (!made) throw new Error('the SSH fixture is not up yet: use it inside a test, or in setUp');
      return made;
    },
  };
}

export async function sshFixture(extraConfig: string[] = []): Promise<SshFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'modus-ssh-test-'));
  const host = await startSshd({ dir: join(dir, 'h1'), name: 'h1', extraConfig });
  const client = await makeClient(join(dir, 'client'), [host]);
  const made: SshShared[] = [];
  const shared = new SshShared({ configFile: client.sshConfig });
  made.push(shared);
  const targets: SshTarget[] = [];
  return {
    dir,
    host,
    client,
    shared,
    target(options, label = 'h1') {
      let s = shared;
      if (options) {
        s = new SshShared({ configFile: client.sshConfig, ...options });
        made.push(s);
      }
      const t = new SshTarget(label, { host: 'h1' }, s);
      targets.push(t);
      return t;
    },
    async withConfig({ name, edit = (c) => c, host = 'h1', options = {} }) {
      const config = join(client.dir, `ssh_config.${name}`);
      await writeFile(config, edit(await readFile(client.sshConfig, 'utf8')), { mode: 0o600 });
      const s = new SshShared({ configFile: config, ...options });
      made.push(s);
      const target = new SshTarget(host, { host }, s);
      targets.push(target);
      return { target, shared: s };
    },
    alias(name, jump) {
      return hostBlock({ ...host, name }, client, jump);
    },
    async acceptedLogins() {
      return ((await readFile(host.logFile, 'utf8')).match(/Accepted publickey/g) ?? []).length;
    },
    async close() {
      await Promise.all(targets.map((t) => t.dispose()));
      await Promise.all(made.map((s) => s.close()));
      await stopSshd(host, { sessions: true });
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Ran {
  outcome: ScriptOutcome;
  output: string;
}

export async function runOn(runner: ScriptRunner, req: Partial<ScriptRequest> & { script: string }, signal = new AbortController().signal): Promise<Ran> {
  const chunks: Buffer[] = [];
  const outcome = await runner.run({ language: 'sh', ...req }, { signal, onData: (b) => void chunks.push(Buffer.from(b)) });
  return { outcome, output: Buffer.concat(chunks).toString('utf8') };
}
