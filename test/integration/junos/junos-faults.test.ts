// What goes wrong with Junos devices, through `modus run` against the
// simulator: the device refuses the change (syntax, commit check), someone
// else holds the lock or has uncommitted changes (never discarded), the
// connection drops after a commit confirmed, the confirmation comes too late,
// NETCONF is not enabled, the device is slow past :timeout, a command does
// not exist, a reply is not XML, a host key is unknown. Each test has its
// own device. The simulator's clock is manual (commit confirmed timers move
// only when a test advances it); the slow fault waits on the real clock.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { junosSimAvailable } from '../../junos-sim/harness.js';
import { waitFor } from '../../junos-sim/reading-replies.js';
import { junos, simRun, type SimRun } from './sim-run.js';

const skip = junosSimAvailable();
const opts = { skip: skip ? `skipped: ${skip}` : false } as const;
const F = '```';
const DEVICES = ['syn', 'chk', 'held', 'dirty', 'drop', 'late', 'nonc', 'slow', 'badop', 'badxml', 'newkey'];

let s: SimRun;
before(async () => {
  if (!skip) s = await simRun({ devices: DEVICES.map((name) => ({ name })), clock: 'manual' });
});
after(async () => {
  await s?.close();
});

const LOCATION = (where: string) => `system {\n    location {\n        building "${where}";\n    }\n}\n`;

/** The device as it was, to compare after a failure: active, shared candidate, history, lock. */
function snapshot(name: string) {
  const d = s.sim.devices.get(name)!;
  return { active: d.activeText(), candidate: d.candidateText(), history: d.history().length, lock: d.lockHolder(), pending: d.pendingConfirm() };
}

test('a syntax error in a configuration block: the offending statement reported, the device unchanged', opts, async () => {
  const before = snapshot('syn');
  const r = await s.run(`${junos('syn', ':commit now')}\nprotocols {\n    lldpx;\n}\n${F}\n`);
  assert.equal(r.code, 1);
  const [res] = r.results.block(1);
  assert.equal(res!.attrs.get('status'), 'fail');
  assert.match(res!.body, /root@syn# load merge terminal\n\[edit protocols\]\n {2}'lldpx'\n {4}syntax error\n/);
  assert.match(res!.body, /root@syn# rollback 0\nload complete\n/);
  assert.match(res!.body, /\nmodus: the configuration did not load on syn: syntax error at 'lldpx' in \[edit protocols\]; nothing was changed \(the candidate was rolled back\)$/);
  assert.deepEqual(snapshot('syn'), before);
});

test('a commit check failure: the edit path and Junos\'s message, the device unchanged', opts, async () => {
  const before = snapshot('chk');
  const r = await s.run(`${junos('chk', ':commit confirmed 5')}\nprotocols {\n    bgp {\n        group rr {\n            export NO-SUCH-POLICY;\n        }\n    }\n}\n${F}\n`);
  assert.equal(r.code, 1);
  const [res] = r.results.block(1);
  assert.equal(res!.attrs.get('status'), 'fail');
  assert.match(res!.body, /root@chk# commit check\n\[edit protocols bgp group rr\]\n {2}'export'\n {4}Policy error: Policy NO-SUCH-POLICY referenced but not defined\nerror: configuration check-out failed\n/);
  assert.match(res!.body, /modus: commit check failed on chk: Policy error: Policy NO-SUCH-POLICY referenced but not defined at 'export' in \[edit protocols bgp group rr\]; configuration check-out failed; nothing was changed/);
  assert.equal(res!.attrs.get('rollback-at'), undefined);
  assert.deepEqual(snapshot('chk'), before);
});

test('the lock held by someone else: who holds it, and nothing discarded (their uncommitted edits are still there)', opts, async () => {
  const dev = s.sim.devices.get('held')!;
  dev.otherUser('jane', { lock: true, editSet: ['set system location building JANE'] });
  const candidate = dev.candidateText();
  assert.match(candidate, /JANE/);
  const r = await s.run(`${junos('held', ':commit now')}\n${LOCATION('B5')}${F}\n`);
  assert.equal(r.code, 1);
  const [res] = r.results.block(1);
  assert.equal(res!.attrs.get('status'), 'error');
  assert.match(res!.body, /^root@held> configure exclusive\nerror: configuration database locked by:\n {2}jane terminal p\d \(pid \d+\) on since .*\n {6}exclusive \[edit\]\n/);
  assert.match(res!.body, /modus: the configuration of held is locked by someone else \(configuration database locked by: jane terminal p\d \(pid \d+\) on since [^)]*\)/);
  assert.match(res!.body, /Modus loaded nothing and discarded nothing/);
  assert.equal(dev.lockHolder(), 'jane');
  assert.equal(dev.candidateText(), candidate);
  assert.ok(!dev.transcript().some((t) => /load-configuration|unlock-configuration|discard/.test(t.rpc)));
});

test('the candidate modified by someone else: not locked, loaded or discarded; :private suggested', opts, async () => {
  const dev = s.sim.devices.get('dirty')!;
  dev.otherUser('kim', { editSet: ['set system location building KIM'] });
  const candidate = dev.candidateText();
  const r = await s.run(`${junos('dirty')}\n${LOCATION('B6')}${F}\n`);
  assert.equal(r.code, 1);
  const [res] = r.results.block(1);
  assert.equal(res!.attrs.get('status'), 'error');
  assert.match(res!.body, /error: configuration database modified\n/);
  assert.match(res!.body, /modus: the shared candidate configuration of dirty has uncommitted changes by another session \(configuration database modified\), so Modus did not lock it, load anything or discard them; .*:private$/);
  assert.equal(dev.candidateText(), candidate);
  assert.equal(dev.lockHolder(), null);
});

test('the connection lost after a commit confirmed: the results say it was committed and when it rolls back', opts, async () => {
  const dev = s.sim.devices.get('drop')!;
  // show system commit, lock, load, compare, check, commit confirmed: answered; the unlock is where the connection drops.
  dev.fault({ kind: 'drop-after', rpcs: 6 });
  const r = await s.run(`${junos('drop', ':commit confirmed 5')}\n${LOCATION('B7')}${F}\n\n${junos('drop', ':commit confirm')}\n${F}\n`);
  dev.clearFaults();
  assert.equal(r.code, 1);
  const [res] = r.results.block(1);
  assert.equal(res!.attrs.get('status'), 'error');
  const at = res!.attrs.get('rollback-at')!;
  assert.match(at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(res!.body, /commit complete\nmodus: drop rolls this commit back at /);
  assert.ok(res!.body.includes(`the commit had been made; drop rolls it back at ${at} unless it is confirmed`), res!.body);
  assert.ok(dev.pendingConfirm(), 'the commit happened');
  assert.equal(dev.transcript().at(-1)!.dropped, true);
  // The run stopped there: the confirming block did not run, and modus run says so.
  assert.deepEqual(r.results.block(2), []);
  assert.ok(r.stdout.includes(`modus run: drop: the commit confirmed of block 1 rolls back at ${at}`), r.stdout);
  assert.match(r.stdout, /block 2 confirms it and has not run: modus run nb\.md --block 2/);
  await waitFor(() => dev.lockHolder() === null, 'the dropped session to release its lock');
});

test('confirming after the deadline: a clear error saying the device already rolled back', opts, async () => {
  const dev = s.sim.devices.get('late')!;
  const original = dev.activeText();
  const nb = `${junos('late', ':commit confirmed 5')}\n${LOCATION('B8')}${F}\n\n${junos('late', ':commit confirm')}\n${F}\n`;
  const first = await s.run(nb, ['--block', '1']);
  assert.equal(first.code, 0, first.stderr + first.stdout);
  assert.match(dev.activeText(), /B8/);
  await s.sim.advanceClock(5 * 60_000 + 1000);
  assert.equal(dev.activeText(), original, 'the simulator rolled back');
  const late = await s.run(await readFile(join(s.dir, 'nb.md'), 'utf8'), ['--block', '2']);
  assert.equal(late.code, 1);
  const [res] = late.results.block(2);
  assert.equal(res!.attrs.get('status'), 'fail');
  assert.match(res!.body, /^modus: nothing to confirm on late: no commit confirmed is pending: it was already rolled back automatically \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC: Commit was not confirmed; automatic rollback complete\)\. Nothing was committed$/);
  assert.equal(dev.activeText(), original);
  assert.equal(dev.history()[0]!.comment, 'Commit was not confirmed; automatic rollback complete');
});

test('the NETCONF subsystem refused: an error that says NETCONF is not there, nothing else tried', opts, async () => {
  const dev = s.sim.devices.get('nonc')!;
  dev.fault({ kind: 'refuse-subsystem' });
  const r = await s.run(`${junos('nonc')}\nshow version\n${F}\n`);
  dev.clearFaults();
  assert.equal(r.code, 1);
  const [res] = r.results.block(1);
  assert.equal(res!.attrs.get('status'), 'error');
  assert.match(res!.body, /^modus: the NETCONF subsystem of nonc on port \d+ ended at once without a hello \(ssh exited with status 1\); enable NETCONF over SSH there \(set system services netconf ssh\) or give the inventory the right port$/);
  assert.ok(dev.refusedSessions >= 1);
});

test('a slow device past :timeout: the session is closed, so the lock is released and the change discarded; the results say so', opts, async () => {
  const dev = s.sim.devices.get('slow')!;
  const before = snapshot('slow');
  // The device turns slow once it has taken our change: its answer to the load comes after the block's :timeout.
  // (The simulator's delay is a real timer that outlives the session: kept to half a minute so the file ends soon after.)
  const load = dev.state.load.bind(dev.state);
  dev.state.load = (owner, request) => {
    const outcome = load(owner, request);
    if (owner.client === 'netconf') dev.fault({ kind: 'slow', msPerRpc: 30_000 });
    return outcome;
  };
  try {
    // The first block opens the session, so the change's 15 s are for its own RPCs only.
    const r = await s.run(`${junos('slow')}\nshow version\n${F}\n\n${junos('slow', ':commit now :timeout 15s')}\n${LOCATION('B9')}${F}\n`);
    assert.equal(r.code, 1);
    const [res] = r.results.block(2);
    assert.equal(res!.attrs.get('status'), 'timeout');
    assert.match(res!.body, /root@slow# load merge terminal\nmodus: timed out after 15\.0s and was stopped; the NETCONF session to slow was closed, which releases the configuration lock and discards the uncommitted change: nothing changed on the device$/);
    await waitFor(() => dev.lockHolder() === null && dev.sessions().length === 0, 'the device to see the session end and release the lock');
    assert.deepEqual(snapshot('slow'), before);
  } finally {
    dev.state.load = load;
    dev.clearFaults();
  }
});

test('an operational command that does not exist: what the device said, and the block fails', opts, async () => {
  const r = await s.run(`${junos('badop')}\nshow version\nshow chassis nonsense\nshow system uptime\n${F}\n`);
  assert.equal(r.code, 1);
  const [res] = r.results.block(1);
  assert.equal(res!.attrs.get('status'), 'fail');
  assert.match(res!.body, /root@badop> show chassis nonsense\n(.|\n)*syntax error, expecting <command>/);
  assert.match(res!.body, /\nmodus: "show chassis nonsense" failed: syntax error, expecting <command>/);
  assert.doesNotMatch(res!.body, /show system uptime/);
});

test('a reply that is not well-formed XML: an error with the parser\'s reason; the next block gets a new session', opts, async () => {
  const dev = s.sim.devices.get('badxml')!;
  dev.fault({ kind: 'malformed-reply' });
  const r = await s.run(`${junos('badxml')}\nshow version\n${F}\n\n${junos('badxml')}\nshow system uptime\n${F}\n`, ['--keep-going']);
  assert.equal(r.code, 1);
  const [bad] = r.results.block(1);
  assert.equal(bad!.attrs.get('status'), 'error');
  assert.match(bad!.body, /modus: badxml sent a reply that is not well-formed XML \(.+\), so Modus cannot tell what happened$/);
  const [next] = r.results.block(2);
  assert.equal(next!.attrs.get('status'), 'pass');
  assert.equal(new Set(dev.transcript().map((t) => t.session)).size, 2);
});

test('an unknown host key: refused with its fingerprint; --accept-new-host-keys connects and remembers it', opts, async () => {
  const knownHosts = join(s.dir, 'known_hosts_newkey');
  await writeFile(knownHosts, '');
  const config = (await readFile(s.sim.sshConfig, 'utf8')).replace(/UserKnownHostsFile \S+/g, `UserKnownHostsFile ${knownHosts}`);
  const sshConfig = join(s.dir, 'ssh_config_newkey');
  await writeFile(sshConfig, config);
  const nb = `${junos('newkey')}\nshow version\n${F}\n`;
  const refused = await s.run(nb, ['--ssh-config', sshConfig]);
  assert.equal(refused.code, 1);
  const [res] = refused.results.block(1);
  assert.equal(res!.attrs.get('status'), 'error');
  assert.ok(res!.body.includes(`its ED25519 key has fingerprint ${s.sim.sshd.hostKeyFingerprint}`), res!.body);
  assert.match(res!.body, /run again with --accept-new-host-keys/);
  assert.deepEqual(s.sim.devices.get('newkey')!.transcript(), []);
  const accepted = await s.run(nb, ['--ssh-config', sshConfig, '--accept-new-host-keys']);
  assert.equal(accepted.code, 0, accepted.stderr + accepted.stdout);
  assert.match(await readFile(knownHosts, 'utf8'), /^\[127\.0\.0\.1\]:\d+ ssh-ed25519 /);
});
