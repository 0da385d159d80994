// Hosts behind one jump host share one connection to it (jump-host.ts):
// three hosts behind it cost the jump host one login, not three, and when
// the jump host cannot be reached, each host behind it says so in words.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { SshTarget } from '../../../main/targets/ssh/ssh-target.js';
import type { SshSharedOptions } from '../../../main/targets/ssh/ssh-connection.js';
import { fixtureForFile, runOn } from './fixture.js';

const ssh = fixtureForFile();
const skip = ssh.skip;

async function runBehind(name: string, jump: string, options: Partial<SshSharedOptions> = {}, extra = ''): Promise<{ output: string; outcome: unknown }[]> {
  const names = ['a', 'b', 'c'].map((n) => `${name}-${n}`);
  const { target, shared } = await ssh.f.withConfig({ name, host: names[0], edit: (c) => `${c}\n${names.map((n) => ssh.f.alias(n, jump)).join('\n')}\n${extra}`, options });
  const targets = [target, ...names.slice(1).map((n) => new SshTarget(n, { host: n }, shared))];
  try {
    return await Promise.all(targets.map((t, i) => runOn(t, { script: `echo behind ${i}` })));
  } finally {
    await Promise.all(targets.slice(1).map((t) => t.dispose()));
  }
}

test('three hosts behind one jump host log in to it once between them; OpenSSH\'s own ProxyJump logs in three times', { skip: skip ?? false }, async () => {
  const before = await ssh.f.acceptedLogins();
  const shared = await runBehind('shared', 'h1');
  shared.forEach((r, i) => {
    assert.deepEqual(r.outcome, { kind: 'exited', exitCode: 0 }, r.output);
    assert.match(r.output, new RegExp(`behind ${i}`));
  });
  assert.equal((await ssh.f.acceptedLogins()) - before, 1 + 3, 'one login on the jump host, one on each host behind it');

  const middle = await ssh.f.acceptedLogins();
  const own = await runBehind('own', 'h1', { shareJumpHosts: false });
  own.forEach((r) => assert.deepEqual(r.outcome, { kind: 'exited', exitCode: 0 }, r.output));
  assert.equal((await ssh.f.acceptedLogins()) - middle, 3 + 3, 'without sharing, each host logs in to the jump host too');
});

test('a jump host that refuses connections: each host behind it fails with the jump host\'s name, address and what to do', { skip: skip ?? false }, async () => {
  // A port that was just free: nothing listens on it.
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const runs = await runBehind('down', 'deadjump', {}, `Host deadjump\n  HostName 127.0.0.1\n  Port ${port}\n  User root\n  UserKnownHostsFile ${ssh.f.client.knownHosts}\n`);
  for (const [i, r] of runs.entries()) {
    const outcome = r.outcome as { kind: string; message?: string };
    assert.equal(outcome.kind, 'failed', r.output);
    assert.match(outcome.message ?? '', new RegExp(`cannot reach down-${'abc'[i]} through its ProxyJump deadjump: cannot connect to deadjump \\(127\\.0\\.0\\.1 port ${port}\\): connection refused; is sshd running there`));
  }
});

test('ProxyJumps that go round in a loop in ssh config end with an error that names the loop, not a wait', { skip: skip ?? false, timeout: 60_000 }, async () => {
  const { target } = await ssh.f.withConfig({ name: 'loop', host: 'loopa', edit: (c) => `${c}\n${ssh.f.alias('loopa', 'loopb')}\n${ssh.f.alias('loopb', 'loopa')}` });
  const r = await runOn(target, { script: 'echo never' });
  const outcome = r.outcome as { kind: string; message?: string };
  assert.equal(outcome.kind, 'failed', r.output);
  assert.match(outcome.message ?? '', /cannot reach loopa through its ProxyJump loopb: cannot reach loopb: its ProxyJumps go round in a loop \(loopa → loopb → loopa\); check the ProxyJump lines of your ssh config/);
});
