// A fresh run that finds no connection sets it up with its own client
// (first-client.ts): one ssh process for the first block instead of a
// master and a client, the master left for the next blocks, blocks that
// start meanwhile waiting for it, a stopped setup handed on to the next
// block, and a ProxyJump child that outlives the client it came with.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SshShared } from '../../../main/targets/ssh/ssh-connection.js';
import type { SshTarget } from '../../../main/targets/ssh/ssh-target.js';
import { findExecutable } from '../../../main/files/find-executable.js';
import { masterPids } from '../../../main/targets/ssh/master-pids.js';
import { fixtureForFile, runOn } from './fixture.js';
import { waitUntil } from '../../helpers/processes.js';

const ssh = fixtureForFile();
const skip = ssh.skip;

/** A target for `host` with its own masters, over the fixture's config plus `extra`. */
async function targetWith(name: string, host: string, extra = ''): Promise<{ t: SshTarget; shared: SshShared }> {
  const { target, shared } = await ssh.f.withConfig({ name, host, edit: (c) => `${c}\n${extra}` });
  return { t: target, shared };
}

/** Lets pending promise continuations and I/O callbacks run: an order, not a duration. */
async function ticks(n = 20): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

test('a cold block starts one ssh, which becomes the master: blocks started meanwhile wait for it, and nobody authenticates twice', { skip: skip ?? false }, async () => {
  // An ssh on PATH that notes each start: the first block's client is the only one started until the master is up.
  const bin = join(ssh.f.client.dir, 'counting-bin');
  const starts = join(ssh.f.client.dir, 'ssh-starts');
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'ssh'), `#!/bin/sh\necho "$*" >>${starts}\nexec ${findExecutable('ssh')} "$@"\n`);
  await chmod(join(bin, 'ssh'), 0o755);
  const path = process.env.PATH;
  process.env.PATH = `${bin}:${path}`;
  try {
    const { t, shared } = await targetWith('count', 'h1');
    const before = await ssh.f.acceptedLogins();
    const runs = await Promise.all([1, 2, 3].map((n) => runOn(t, { script: `echo block ${n}` })));
    runs.forEach((r, i) => {
      assert.deepEqual(r.outcome, { kind: 'exited', exitCode: 0 }, r.output);
      assert.match(r.output, new RegExp(`block ${i + 1}`));
    });
    assert.equal(await ssh.f.acceptedLogins(), before + 1, 'one authentication for three blocks');
    const clients = (await readFile(starts, 'utf8')).split('\n').filter((l) => l.includes(' -tt '));
    assert.equal(clients.length, 3, 'one client per block');
    assert.equal(clients.filter((l) => l.includes('ControlMaster=yes')).length, 1, 'the first is the master');
    assert.equal((await readFile(starts, 'utf8')).split('\n').filter((l) => / -N /.test(l)).length, 0, 'no separate master was started');
    // Closing ends the master by signal: no ssh -O exit is started, and no process serves the socket any more.
    const dir = (await shared.controlDir()).path;
    await t.dispose();
    await shared.close();
    assert.equal((await readFile(starts, 'utf8')).split('\n').filter((l) => / -O exit /.test(l)).length, 0, 'no ssh -O exit');
    assert.deepEqual([...masterPids([join(dir, '1')]).keys()], [], 'the master is gone');
    await assert.rejects(stat(dir), 'the control directory is gone');
  } finally {
    process.env.PATH = path;
  }
});

// The bound is for a stopped client that is never ended: with ConnectTimeout at 300 s it would wait that long.
test('a block stopped while its client sets the connection up hands the setup on: the block waiting for it connects and runs', { skip: skip ?? false, timeout: 60_000 }, async () => {
  // The connection goes through a gate (a ProxyCommand that waits for a file), so the first client is stopped before it has told anything.
  const gate = join(ssh.f.client.dir, 'gate');
  const atGate = join(ssh.f.client.dir, 'at-gate');
  const bash = findExecutable('bash')!;
  const proxy = `ProxyCommand ${bash} -c 'touch ${atGate}; while [ ! -e ${gate} ]; do sleep 0.05; done; exec 3<>/dev/tcp/%h/%p; cat <&3 & cat >&3'`;
  const { t } = await targetWith('gated', 'h1', `Host h1\n  ${proxy}\n  ConnectTimeout 300\n`);
  const stop = new AbortController();
  const first = runOn(t, { script: 'echo first' }, stop.signal);
  await waitUntil('the first block\'s client to be setting the connection up', () => existsSync(atGate));
  const second = runOn(t, { script: 'echo second' });
  await ticks();
  stop.abort();
  assert.deepEqual((await first).outcome, { kind: 'aborted' });
  await writeFile(gate, '');
  const r = await second;
  assert.deepEqual(r.outcome, { kind: 'exited', exitCode: 0 }, r.output);
  assert.match(r.output, /second/);
});

test('behind a ProxyJump, the first client\'s master and jump connection outlive the client: a stopped block, then the next one connects no more', { skip: skip ?? false }, async () => {
  const { t } = await targetWith('jump', 'h1via', ssh.f.alias('h1via', 'h1'));
  const before = await ssh.f.acceptedLogins();
  const marker = join(ssh.f.client.dir, 'jump-started');
  const stop = new AbortController();
  const first = runOn(t, { script: `touch ${marker}; sleep 60` }, stop.signal);
  await waitUntil('the first block to start', () => existsSync(marker));
  const connections = (await ssh.f.acceptedLogins()) - before;
  assert.equal(connections, 2, 'the jump host and the target');
  stop.abort();
  assert.deepEqual((await first).outcome, { kind: 'aborted' });
  const r = await runOn(t, { script: 'echo over the same master' });
  assert.deepEqual(r.outcome, { kind: 'exited', exitCode: 0 }, r.output);
  assert.match(r.output, /over the same master/);
  assert.equal((await ssh.f.acceptedLogins()) - before, 2, 'no new connection: the jump child outlived the first client');
});
