// Hosts behind one jump host share one connection to it (jump-host.ts):
// three hosts behind it cost the jump host one login, not three, and when
// the jump host cannot be reached, each host behind it says so in words.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { SshTarget } from '../../../main/targets/ssh/ssh-target.js';
import type { SshSharedOptions } from '../../../main/targets/ssh/ssh-connection.js';
import { sshFixture, sshSkipReason, runOn, type SshFixture } from './fixture.js';

const skip = sshSkipReason();
let f: SshFixture;
before(async () => {
  if (!skip) f = await sshFixture();
});
after(async () => {
  await f?.close();
});

/** Aliases of the fixture's sshd, each reached through `jump`. */
function behind(names: string[], jump: string): string {
  return names
    .map((n) => `Host ${n}\n  HostName ${f.host.address}\n  Port ${f.host.port}\n  User root\n  IdentityFile ${f.client.key}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${f.client.knownHosts}\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n  ProxyJump ${jump}\n`)
    .join('\n');
}

async function runBehind(name: string, jump: string, options: Partial<SshSharedOptions> = {}, extra = ''): Promise<{ output: string; outcome: unknown }[]> {
  const names = ['a', 'b', 'c'].map((n) => `${name}-${n}`);
  const { target, shared } = await f.withConfig({ name, host: names[0], edit: (c) => `${c}\n${behind(names, jump)}\n${extra}`, options });
  const targets = [target, ...names.slice(1).map((n) => new SshTarget(n, { host: n }, shared))];
  try {
    return await Promise.all(targets.map((t, i) => runOn(t, { script: `echo behind ${i}` })));
  } finally {
    await Promise.all(targets.slice(1).map((t) => t.dispose()));
  }
}

test('three hosts behind one jump host log in to it once between them; OpenSSH\'s own ProxyJump logs in three times', { skip: skip ?? false }, async () => {
  const before = await f.acceptedLogins();
  const shared = await runBehind('shared', 'h1');
  shared.forEach((r, i) => {
    assert.deepEqual(r.outcome, { kind: 'exited', exitCode: 0 }, r.output);
    assert.match(r.output, new RegExp(`behind ${i}`));
  });
  assert.equal((await f.acceptedLogins()) - before, 1 + 3, 'one login on the jump host, one on each host behind it');

  const middle = await f.acceptedLogins();
  const own = await runBehind('own', 'h1', { shareJumpHosts: false });
  own.forEach((r) => assert.deepEqual(r.outcome, { kind: 'exited', exitCode: 0 }, r.output));
  assert.equal((await f.acceptedLogins()) - middle, 3 + 3, 'without sharing, each host logs in to the jump host too');
});

test('a jump host that refuses connections: each host behind it fails with the jump host\'s name, address and what to do', { skip: skip ?? false }, async () => {
  // A port that was just free: nothing listens on it.
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const runs = await runBehind('down', 'deadjump', {}, `Host deadjump\n  HostName 127.0.0.1\n  Port ${port}\n  User root\n  UserKnownHostsFile ${f.client.knownHosts}\n`);
  for (const [i, r] of runs.entries()) {
    const outcome = r.outcome as { kind: string; message?: string };
    assert.equal(outcome.kind, 'failed', r.output);
    assert.match(outcome.message ?? '', new RegExp(`cannot reach down-${'abc'[i]} through its ProxyJump deadjump: cannot connect to deadjump \\(127\\.0\\.0\\.1 port ${port}\\): connection refused; is sshd running there`));
  }
});

test('ProxyJumps that go round in a loop in ssh config end with an error that names the loop, not a wait', { skip: skip ?? false, timeout: 60_000 }, async () => {
  const loop = (name: string, jump: string): string => `Host ${name}\n  HostName ${f.host.address}\n  Port ${f.host.port}\n  User root\n  IdentityFile ${f.client.key}\n  UserKnownHostsFile ${f.client.knownHosts}\n  ProxyJump ${jump}\n`;
  const { target } = await f.withConfig({ name: 'loop', host: 'loopa', edit: (c) => `${c}\n${loop('loopa', 'loopb')}\n${loop('loopb', 'loopa')}` });
  const r = await runOn(target, { script: 'echo never' });
  const outcome = r.outcome as { kind: string; message?: string };
  assert.equal(outcome.kind, 'failed', r.output);
  assert.match(outcome.message ?? '', /cannot reach loopa through its ProxyJump loopb: cannot reach loopb: its ProxyJumps go round in a loop \(loopa → loopb → loopa\); check the ProxyJump lines of your ssh config/);
});
