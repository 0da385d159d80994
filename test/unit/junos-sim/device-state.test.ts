// The simulated device's configuration database: commit confirmed with its
// automatic rollback on the manual clock, the rollback history, locks (and
// who holds them), sessions ending, private candidates, faults.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../junos-sim/clock.js';
import { AUTOMATIC_ROLLBACK_COMMENT, DeviceState, MAX_ROLLBACKS, type Owner } from '../../junos-sim/device-state.js';
import { printCurly } from '../../junos-sim/config-print.js';
import { RpcFailure } from '../../junos-sim/rpc-error.js';
import { SimDeviceRuntime } from '../../junos-sim/sim-device.js';

const START = Date.UTC(2026, 0, 15, 9, 0, 0);
const BASE = 'system {\n    host-name r1;\n}\n';

function owner(id: string, user = id): Owner {
  return { id, user, client: 'netconf', pid: 100, since: new Date(START) };
}

function device(): { state: DeviceState; clock: ManualClock } {
  const clock = new ManualClock(START);
  return { state: new DeviceState('r1', clock, BASE), clock };
}

function setHost(state: DeviceState, o: Owner, name: string): void {
  const out = state.load(o, { kind: 'set', text: `set system host-name ${name}` });
  assert.deepEqual(out.problems, []);
}

function hostOf(text: string): string {
  return /host-name (\S+);/.exec(text)?.[1] ?? '';
}

function rpcError(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof RpcFailure) return err.errors.map((e) => e.message).join(' | ');
    throw err;
  }
  assert.fail('expected an rpc-error');
}

test('commit confirmed rolls back by itself after N minutes, and says so in the history', () => {
  const { state, clock } = device();
  const a = owner('a');
  setHost(state, a, 'r2');
  state.commit(a, { confirmMinutes: 5, log: 'CHG-1' });
  assert.equal(hostOf(printCurly(state.active)), 'r2');
  assert.deepEqual(state.pending?.deadline, new Date(START + 5 * 60_000));
  assert.equal(state.history[0]!.comment, 'commit confirmed, rollback in 5mins');
  assert.equal(state.history[0]!.log, 'CHG-1');
  clock.advance(5 * 60_000 - 1);
  assert.equal(hostOf(printCurly(state.active)), 'r2', 'not before the deadline');
  clock.advance(1);
  assert.equal(hostOf(printCurly(state.active)), 'r1');
  assert.equal(hostOf(printCurly(state.candidate(a))), 'r1', 'the candidate is rolled back too');
  assert.equal(state.pending, null);
  assert.deepEqual(
    state.history.map((h) => [h.comment, h.client]),
    [
      [AUTOMATIC_ROLLBACK_COMMENT, 'other'],
      ['commit confirmed, rollback in 5mins', 'netconf'],
      ['', 'cli'],
    ],
  );
  assert.deepEqual(state.history[0]!.at, new Date(START + 5 * 60_000));
});

test('a plain commit (or a commit check) before the deadline confirms', () => {
  for (const confirm of [{}, { check: true }]) {
    const { state, clock } = device();
    const a = owner('a');
    setHost(state, a, 'r2');
    state.commit(a, { confirmMinutes: 2 });
    clock.advance(60_000);
    state.commit(a, confirm);
    assert.equal(state.pending, null);
    clock.advance(10 * 60_000);
    assert.equal(hostOf(printCurly(state.active)), 'r2', JSON.stringify(confirm));
  }
});

test('a confirmed commit sent again extends the deadline; expiry goes back to before the first one', () => {
  const { state, clock } = device();
  const a = owner('a');
  setHost(state, a, 'r2');
  state.commit(a, { confirmMinutes: 5 });
  clock.advance(4 * 60_000);
  setHost(state, a, 'r3');
  state.commit(a, { confirmMinutes: 5 });
  assert.deepEqual(state.pending?.deadline, new Date(START + 9 * 60_000));
  clock.advance(4 * 60_000);
  assert.equal(hostOf(printCurly(state.active)), 'r3', 'the first deadline has no effect any more');
  clock.advance(60_000);
  assert.equal(hostOf(printCurly(state.active)), 'r1');
});

test('confirming after the deadline does not bring the change back, and a persist-id confirm fails clearly', () => {
  const { state, clock } = device();
  const a = owner('a');
  setHost(state, a, 'r2');
  state.commit(a, { confirmMinutes: 1, persist: 'tok' });
  clock.advance(60_000);
  assert.match(rpcError(() => state.checkPersistId('tok')), /no confirmed commit is pending for persist-id tok: it was confirmed, cancelled or rolled back/);
  // A Junos-style confirm (plain commit) now commits the rolled-back candidate: the change stays gone.
  state.commit(a);
  assert.equal(hostOf(printCurly(state.active)), 'r1');
  assert.equal(state.history[1]!.comment, AUTOMATIC_ROLLBACK_COMMENT);
});

test('a confirm timeout of 0 minutes (a standard <commit> given seconds < 60) rolls back at once', () => {
  const { state } = device();
  const a = owner('a');
  setHost(state, a, 'r2');
  state.commit(a, { confirmMinutes: 0 });
  assert.equal(hostOf(printCurly(state.active)), 'r1');
  assert.equal(state.history[0]!.comment, AUTOMATIC_ROLLBACK_COMMENT);
  assert.equal(state.history[1]!.comment, 'commit confirmed, rollback in 0mins');
});

test('cancel-commit rolls back now; without a pending commit it is an error', () => {
  const { state } = device();
  const a = owner('a');
  setHost(state, a, 'r2');
  state.commit(a, { confirmMinutes: 10 });
  state.cancelPending();
  assert.equal(hostOf(printCurly(state.active)), 'r1');
  assert.match(rpcError(() => state.cancelPending()), /No pending confirmed commit/);
});

test('the history keeps 50 commits; rollback N loads one into the candidate; compare shows the difference', () => {
  const { state } = device();
  const a = owner('a');
  for (let i = 2; i <= 60; i += 1) {
    setHost(state, a, `r${i}`);
    state.commit(a, { log: `c${i}` });
  }
  assert.equal(state.history.length, MAX_ROLLBACKS);
  assert.equal(state.history[0]!.log, 'c60');
  assert.equal(state.history[49]!.log, 'c11');
  state.loadRollback(a, 3);
  assert.equal(hostOf(printCurly(state.candidate(a))), 'r57');
  assert.equal(hostOf(printCurly(state.active)), 'r60', 'a rollback load commits nothing');
  assert.equal(state.compare(a, 0), '[edit system]\n-  host-name r60;\n+  host-name r57;\n');
  assert.match(rpcError(() => state.loadRollback(a, 50)), /Value 50 is not within range \(0\.\.49\)/);
  const fresh = device().state;
  assert.match(rpcError(() => fresh.loadRollback(a, 2)), /rollback 2 does not exist/);
});

test('a commit that fails its checks changes nothing and ends with configuration check-out failed', () => {
  const { state } = device();
  const a = owner('a');
  state.load(a, { kind: 'set', text: 'set protocols bgp group g neighbor 192.0.2.1' });
  const message = rpcError(() => state.commit(a));
  assert.equal(message, "Missing mandatory statement: 'type' | configuration check-out failed");
  assert.equal(state.history.length, 1);
});

test('locks: one holder; others cannot lock, load or commit; unlock by someone else fails', () => {
  const { state } = device();
  const a = owner('a', 'alice');
  const b = owner('b', 'bob');
  state.lock(a);
  assert.equal(state.lockHolder?.user, 'alice');
  assert.match(rpcError(() => state.lock(b)), /^configuration database locked by:\n {2}alice using netconf \(pid 100\) on since 2026-01-15 09:00:00 UTC\n {6}exclusive \[edit\]$/);
  assert.match(rpcError(() => state.load(b, { kind: 'set', text: 'set system host-name x' })), /locked by/);
  assert.match(rpcError(() => state.commit(b)), /locked by/);
  assert.match(rpcError(() => state.unlock(b)), /Configuration database is not open/);
  state.unlock(a);
  state.lock(b);
});

test('lock fails while another user has uncommitted changes, not for your own', () => {
  const { state } = device();
  const a = owner('a');
  const b = owner('b');
  setHost(state, b, 'edited');
  assert.equal(rpcError(() => state.lock(a)), 'configuration database modified');
  state.lock(b);
});

test('a session that ends releases its lock and discards its uncommitted changes; without the lock, changes stay', () => {
  const { state } = device();
  const a = owner('a');
  state.lock(a);
  setHost(state, a, 'half-done');
  state.endSession(a);
  assert.equal(state.lockHolder, null);
  assert.equal(hostOf(printCurly(state.shared)), 'r1');
  assert.deepEqual(state.dirtyBy, []);
  const b = owner('b');
  setHost(state, b, 'left-behind');
  state.endSession(b);
  assert.equal(hostOf(printCurly(state.shared)), 'left-behind');
});

test('private candidates: isolated, committed onto the current configuration, no commit confirmed', () => {
  const { state } = device();
  const p = owner('p');
  const other = owner('o');
  state.openPrivate(p);
  state.load(p, { kind: 'set', text: 'set system domain-name example.net' });
  assert.doesNotMatch(printCurly(state.shared), /domain-name/, 'the shared candidate does not see private edits');
  // Someone else commits meanwhile; the private commit applies its own change on top.
  setHost(state, other, 'r9');
  state.commit(other);
  assert.match(rpcError(() => state.commit(p, { confirmMinutes: 5 })), /'commit confirmed' is not supported in private mode/);
  state.commit(p);
  const active = printCurly(state.active);
  assert.match(active, /host-name r9;/);
  assert.match(active, /domain-name example\.net;/);
  state.load(p, { kind: 'set', text: 'delete system domain-name' });
  state.commit(p);
  assert.doesNotMatch(printCurly(state.active), /domain-name/);
  state.closePrivate(p);
  assert.equal(state.candidate(p), state.shared);
});

test('a private session cannot open, or commit, while the shared candidate has someone\'s changes', () => {
  const { state } = device();
  const p = owner('p');
  const cli = owner('cli:bob', 'bob');
  setHost(state, cli, 'bobs');
  assert.match(rpcError(() => state.openPrivate(p)), /^shared configuration database modified\nUsers currently editing the configuration:\n {2}bob /);
  state.discard(cli);
  state.openPrivate(p);
  setHost(state, cli, 'bobs-again');
  assert.match(rpcError(() => state.commit(p)), /shared configuration database modified/);
});

test('discard-changes restores the candidate from the active configuration', () => {
  const { state } = device();
  const a = owner('a');
  setHost(state, a, 'oops');
  state.discard(a);
  assert.equal(printCurly(state.shared), BASE);
  assert.deepEqual(state.dirtyBy, []);
});

test('simulated CLI users hold the lock or leave changes; faults make lock fail naming who', () => {
  const sim = new SimDeviceRuntime('r1', 830, new ManualClock(START), BASE, () => 1);
  const a = owner('a');
  sim.otherUser('bob', { lock: true });
  assert.equal(sim.lockHolder(), 'bob');
  assert.match(rpcError(() => sim.state.lock(a)), /locked by:\n {2}bob terminal p\d \(pid \d+\)/);
  sim.otherUser('bob', { editSet: ['set system host-name bobs'] });
  assert.match(sim.candidateText(), /host-name bobs;/);
  sim.otherUserExit('bob');
  assert.equal(sim.lockHolder(), null);
  assert.equal(sim.candidateText(), BASE, 'exclusive edits are discarded when bob leaves');

  sim.otherUser('carol', { editSet: ['set system domain-name carol.example'] });
  assert.equal(rpcError(() => sim.state.lock(a)), 'configuration database modified');
  sim.otherUserExit('carol');
  assert.match(sim.candidateText(), /carol\.example/, 'non-exclusive edits stay');
  sim.otherUserCommit('carol', 'by hand');
  assert.equal(sim.history()[0]!.log, 'by hand');
  assert.throws(() => sim.otherUser('dave', { editSet: ['set nonsense here'] }), /syntax error/);

  sim.fault({ kind: 'lock-held', by: 'mallory' });
  assert.match(rpcError(() => sim.state.lock(a)), /locked by:\n {2}mallory /);
  sim.clearFaults();
  sim.fault({ kind: 'candidate-modified', by: 'mallory' });
  assert.equal(rpcError(() => sim.state.lock(a)), 'configuration database modified');
  sim.clearFaults();
  sim.state.lock(a);
});

test('rollback 0 after a change leaves nothing uncommitted: another session can lock again, as on Junos', () => {
  const { state } = device();
  const a = owner('a');
  const b = owner('b');
  state.lock(a);
  setHost(state, a, 'half-done');
  assert.equal(state.dirtyBy.length, 1);
  state.loadRollback(a, 0);
  assert.deepEqual(state.dirtyBy, []);
  state.unlock(a);
  state.lock(b);
  assert.equal(state.lockHolder?.id, b.id);
});
