// Each fault the Junos simulator can inject, seen by a client through the
// real sshd: a refused subsystem, a session dropped after N RPCs, a lock
// held by someone, a candidate modified by someone, slow replies, one
// malformed reply.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { junosSimAvailable, startJunosSim, type JunosSim } from '../../junos-sim/harness.js';
import { rpcErrors, text, waitFor, xml } from '../../junos-sim/reading-replies.js';
import { SshNetconf } from './ssh-netconf.js';

const skip = junosSimAvailable();
const skipped = skip ? `skipped: ${skip}` : false;
let dir: string;
let sim: JunosSim;

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'modus-junos-faults-'));
  sim = await startJunosSim({ dir: join(dir, 'sim'), devices: [{ name: 'f1' }], clock: 'manual' });
});

after(async () => {
  await sim?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

afterEach(() => sim?.devices.get('f1')!.clearFaults());

test('refuse-subsystem: ssh gets no hello, the channel closes with exit status 1', { skip: skipped }, async () => {
  const f1 = sim.devices.get('f1')!;
  f1.fault({ kind: 'refuse-subsystem' });
  const c = new SshNetconf(sim.sshConfig, 'f1');
  assert.deepEqual(await c.closed(), { code: 1, signal: null });
  assert.deepEqual(c.messages, []);
  // The subsystem's own stderr message does not reach the client: sshd does not forward a subsystem's stderr.
  assert.doesNotMatch(c.stderr, /hello/);
  assert.equal(f1.refusedSessions, 1);
  f1.clearFaults();
  const again = new SshNetconf(sim.sshConfig, 'f1');
  assert.match(await again.hello(), /<session-id>/);
  await again.close();
});

test('drop-after: N RPCs are answered, then the connection closes without answering', { skip: skipped }, async () => {
  const f1 = sim.devices.get('f1')!;
  f1.fault({ kind: 'drop-after', rpcs: 2 });
  const c = new SshNetconf(sim.sshConfig, 'f1');
  await c.hello();
  assert.equal(text(await c.rpc('<get-software-information/>'), 'host-name'), 'f1');
  assert.deepEqual(rpcErrors(await c.rpc('<lock-configuration/>')), []);
  assert.equal(await c.rpc('<commit-configuration/>'), '');
  await c.closed();
  assert.equal(f1.transcript().at(-1)!.dropped, true);
  await waitFor(() => f1.lockHolder() === null, 'the lock of the dropped session to go');
  assert.equal(f1.history().length, 1, 'the unanswered commit did not run');
});

test('lock-held and candidate-modified: lock-configuration fails, naming who holds it', { skip: skipped }, async () => {
  const f1 = sim.devices.get('f1')!;
  const c = new SshNetconf(sim.sshConfig, 'f1');
  await c.hello();
  f1.fault({ kind: 'lock-held', by: 'jdoe' });
  const [held] = rpcErrors(await c.rpc('<lock-configuration/>'));
  assert.equal(held![0], 'error');
  assert.match(held![1], /^configuration database locked by:\n {2}jdoe terminal p1 \(pid 4242\) on since .* UTC\n {6}exclusive \[edit\]$/);
  f1.clearFaults();
  f1.fault({ kind: 'candidate-modified', by: 'jdoe' });
  assert.deepEqual(rpcErrors(await c.rpc('<lock>\n<target><candidate/></target></lock>')), [['error', 'configuration database modified', '', '']]);
  f1.clearFaults();
  assert.deepEqual(rpcErrors(await c.rpc('<lock-configuration/>')), []);
  await c.rpc('<unlock-configuration/>');
  await c.close();
});

test('a simulated CLI user holding the lock or editing the candidate', { skip: skipped }, async () => {
  const f1 = sim.devices.get('f1')!;
  f1.otherUser('alice', { lock: true });
  const c = new SshNetconf(sim.sshConfig, 'f1');
  await c.hello();
  assert.match(rpcErrors(await c.rpc('<lock-configuration/>'))[0]![1], /locked by:\n {2}alice terminal/);
  assert.match(rpcErrors(await c.rpc('<load-configuration action="set" format="text"><configuration-set>set system host-name x</configuration-set></load-configuration>'))[0]![1], /locked by/);
  f1.otherUserExit('alice');
  f1.otherUser('bob', { editSet: ['set system location "bob was here"'] });
  assert.deepEqual(rpcErrors(await c.rpc('<lock-configuration/>')), [['error', 'configuration database modified', '', '']]);
  f1.otherUserExit('bob');
  await c.rpc('<discard-changes/>');
  await c.close();
});

test('slow: replies wait on the real clock (the manual clock is never advanced) and still come in order', { skip: skipped }, async () => {
  const f1 = sim.devices.get('f1')!;
  f1.fault({ kind: 'slow', msPerRpc: 50 });
  const c = new SshNetconf(sim.sshConfig, 'f1');
  await c.hello();
  const [a, b] = await Promise.all([c.rpc('<get-software-information/>'), c.rpc('<command format="text">show system uptime</command>')]);
  assert.equal(text(a, 'host-name'), 'f1');
  assert.match(text(b, 'output')!, /^Current time:/);
  await c.close();
});

test('malformed-reply: the next reply is not well-formed XML; the one after is', { skip: skipped }, async () => {
  const f1 = sim.devices.get('f1')!;
  f1.fault({ kind: 'malformed-reply' });
  const c = new SshNetconf(sim.sshConfig, 'f1');
  await c.hello();
  const broken = await c.rpc('<get-software-information/>');
  assert.throws(() => xml(broken));
  assert.equal(text(await c.rpc('<get-software-information/>'), 'host-name'), 'f1');
  await c.close();
});
