// `modus run` of junos blocks against the simulator (a real sshd, the
// netconf subsystem, simulated routers): operational commands in text and
// XML with :expect-xpath, configuration blocks checked, committed confirmed
// and confirmed, committed, and left alone when nothing changes. Each test
// uses its own device, so the tests do not depend on one another's state.
// The simulator's clock is manual: a commit confirmed never rolls back on
// its own here.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { junosSimAvailable } from '../../junos-sim/harness.js';
import { junos, simRun, type SimRun } from './sim-run.js';
import { DURATION } from '../run/helpers.js';

const skip = junosSimAvailable();
const opts = { skip: skip ? `skipped: ${skip}` : false } as const;
const F = '```';
const DEVICES = ['op1', 'op2', 'cfg1', 'cfg2', 'cfg3', 'cfg4', 'cfg5', 'mix1', 'rb1', 'rb2', 'rb3'];

let s: SimRun;
before(async () => {
  if (!skip) s = await simRun({ devices: DEVICES.map((name) => ({ name })), clock: 'manual' });
});
after(async () => {
  await s?.close();
});

const ADD_LOCATION = (where: string) => `system {\n    location {\n        building "${where}";\n    }\n}\n`;

test('op commands in text: each under the command as the CLI shows it, the device\'s words, in the journal too', opts, async () => {
  const r = await s.run(`# t\n\n${junos('op1')}\nshow version\n# a comment\nshow system uptime\n${F}\n`);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const [res] = r.results.block(1);
  assert.equal(res!.attrs.get('status'), 'pass');
  assert.equal(res!.attrs.get('host'), 'op1');
  assert.match(res!.body, /^root@op1> show version\nHostname: op1\nModel: /);
  assert.match(res!.body, /\n\nroot@op1> show system uptime\nCurrent time: /);
  const journal = await readFile(join(s.dir, '.modus', 'journal', 'nb.md.jsonl'), 'utf8');
  assert.match(journal, /root@op1> show version\\nHostname: op1/);
  // Two commands on one session, then the session closed politely at the end of the run.
  const t = s.sim.devices.get('op1')!.transcript();
  assert.deepEqual(t.map((e) => /<command[^>]*>([^<]*)</.exec(e.rpc)?.[1] ?? /<(close-session)/.exec(e.rpc)?.[1]), ['show version', 'show system uptime', 'close-session']);
  assert.equal(new Set(t.map((e) => e.session)).size, 1);
});

test(':format xml with :expect-xpath: passes when true on the reply, fails (and says which) when false', opts, async () => {
  const r = await s.run([
    '# t',
    `${junos('op2', `:format xml :expect-xpath "//software-information/host-name = 'op2'" :expect-xpath "count(//package-information) > 0"`)}\nshow version\n${F}`,
    `${junos('op2', `:format xml :expect-xpath "//bgp-peer[starts-with(peer-address, '10.255.0.254+')]/peer-state = 'Idle'"`)}\nshow bgp neighbor\n${F}`,
    '',
  ].join('\n\n'), ['--keep-going']);
  assert.equal(r.code, 1);
  const [pass] = r.results.block(1);
  assert.equal(pass!.attrs.get('status'), 'pass');
  assert.match(pass!.body, /^root@op2> show version\n<software-information[^>]*>\n?<host-name>op2<\/host-name>/);
  const [fail] = r.results.block(2);
  assert.equal(fail!.attrs.get('status'), 'fail');
  assert.match(fail!.body, /<peer-state>Established<\/peer-state>/);
  assert.match(fail!.body, /\nmodus: expected XPath \/\/bgp-peer\[starts-with\(peer-address, '10\.255\.0\.254\+'\)\]\/peer-state = 'Idle' is false on the reply$/);
  assert.match(r.stdout, /\[2\] junos op2 … fail/);
});

test(':commit check (the default): diff and verdict in the results, the device unchanged and unlocked', opts, async () => {
  const dev = s.sim.devices.get('cfg1')!;
  const before = dev.activeText();
  const history = dev.history().length;
  const r = await s.run(`${junos('cfg1')}\n${ADD_LOCATION('B2')}${F}\n`);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const [res] = r.results.block(1);
  assert.equal(res!.attrs.get('status'), 'pass');
  assert.match(res!.body, /^root@cfg1> configure exclusive\nroot@cfg1# load merge terminal\nload complete\nroot@cfg1# show \| compare\n\[edit system\]\n\+ +location \{\n\+ +building B2;\n\+ +\}\nroot@cfg1# commit check\nconfiguration check succeeds\nroot@cfg1# rollback 0\nload complete\nmodus: checked only \(:commit check\): the candidate was rolled back; nothing changed on cfg1\nroot@cfg1# exit\nExiting configuration mode$/);
  assert.equal(dev.activeText(), before);
  assert.equal(dev.candidateText(), before);
  assert.equal(dev.history().length, history);
  assert.equal(dev.lockHolder(), null);
  assert.equal(res!.attrs.get('rollback-at'), undefined);
});

test(':commit confirmed 5 records the deadline; modus run names the block that confirms it; :commit confirm confirms', opts, async () => {
  const dev = s.sim.devices.get('cfg2')!;
  const nb = [
    `${junos('cfg2', ':commit confirmed 5 :name change')}\n${ADD_LOCATION('B3')}${F}`,
    `${junos('cfg2', ':commit confirm')}\n${F}`,
    '',
  ].join('\n\n');
  const startedAt = Date.now();
  const r = await s.run(nb, ['--block', '1']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const [res] = r.results.block(1);
  const at = res!.attrs.get('rollback-at')!;
  assert.match(at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const deadline = Date.parse(at);
  assert.ok(deadline >= Math.floor(startedAt / 1000) * 1000 + 5 * 60_000 && deadline <= Date.now() + 5 * 60_000, `${at} is 5 minutes after the commit`);
  assert.match(res!.body, /root@cfg2# commit confirmed 5 comment "modus: nb\.md block 1 \(change\)"\ncommit confirmed will be automatically rolled back in 5 minutes unless confirmed\ncommit complete\n/);
  assert.ok(res!.body.includes(`modus: cfg2 rolls this commit back at ${at} unless it is confirmed (a later block with :commit confirm)`));
  // The management path checked with a connection of its own: a second NETCONF session, a hello and a close.
  assert.match(res!.body, /\nmodus: a new NETCONF connection to cfg2, made after the commit, works: the management path is intact$/);
  const sessions = [...new Set(dev.transcript().map((t) => t.session))];
  assert.equal(sessions.length, 2);
  assert.deepEqual(dev.transcript().filter((t) => t.session === sessions[1]).map((t) => /<(close-session)/.exec(t.rpc)?.[1]), ['close-session']);
  assert.match(dev.activeText(), /building B3;/);
  assert.ok(dev.pendingConfirm());
  assert.deepEqual([dev.history()[0]!.comment, dev.history()[0]!.log], ['commit confirmed, rollback in 5mins', 'modus: nb.md block 1 (change)']);
  assert.equal(dev.lockHolder(), null);
  assert.ok(r.stdout.includes(`modus run: cfg2: the commit confirmed of block 1 rolls back at ${at} (in `), r.stdout);
  assert.match(r.stdout, /unless confirmed; block 2 confirms it and has not run: modus run nb\.md --block 2\n/);

  const c = await s.run(await readFile(join(s.dir, 'nb.md'), 'utf8'), ['--block', '2']);
  assert.equal(c.code, 0, c.stderr + c.stdout);
  const [conf] = c.results.block(2);
  assert.equal(conf!.attrs.get('status'), 'pass');
  assert.match(conf!.body, /^root@cfg2> configure exclusive\nroot@cfg2# commit comment "modus: nb\.md block 2"\ncommit complete\nmodus: confirmed: cfg2 keeps the commit confirmed of .* \(modus: nb\.md block 1 \(change\)\) and will not roll it back\n/);
  assert.equal(dev.pendingConfirm(), null);
  assert.equal(dev.history()[0]!.log, 'modus: nb.md block 2');
  assert.match(dev.activeText(), /building B3;/);
  assert.doesNotMatch(c.stdout, /rolls back at/);
});

test(':commit now commits with the log; set-style text is loaded with action set', opts, async () => {
  const dev = s.sim.devices.get('cfg3')!;
  const r = await s.run(`${junos('cfg3', ':commit now')}\nset system location building B4\nset system location floor 2\n${F}\n`);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const [res] = r.results.block(1);
  assert.match(res!.body, /root@cfg3# load set terminal\nload complete\n/);
  assert.match(res!.body, /root@cfg3# commit comment "modus: nb\.md block 1"\ncommit complete\n/);
  assert.match(dev.activeText(), /building B4;\n\s+floor 2;/);
  assert.equal(dev.pendingConfirm(), null);
  assert.equal(dev.history()[0]!.log, 'modus: nb.md block 1');
  assert.ok(dev.transcript().some((t) => /<load-configuration action="set" format="text"><configuration-set>/.test(t.rpc)));
});

test('no change: the device already has it; nothing checked or committed, and the results say so', opts, async () => {
  const dev = s.sim.devices.get('cfg4')!;
  const history = dev.history().length;
  const r = await s.run(`${junos('cfg4', ':commit now')}\nsystem {\n    host-name cfg4;\n}\n${F}\n`);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const [res] = r.results.block(1);
  assert.match(res!.body, /root@cfg4# show \| compare\nroot@cfg4# rollback 0\nload complete\nmodus: no change: cfg4 already has this configuration; nothing was committed\n/);
  assert.equal(dev.history().length, history);
  assert.ok(!dev.transcript().some((t) => /<commit-configuration/.test(t.rpc)));
});

test('several hosts at once: one results block each, in order, one NETCONF session per device for the whole run', opts, async () => {
  const r = await s.run([
    `${junos('op1,op2,cfg5')}\nshow version\n${F}`,
    `${junos('op1,op2,cfg5', ':name check')}\n${ADD_LOCATION('B9')}${F}`,
    '',
  ].join('\n\n'));
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.deepEqual(r.results.block(1).map((x) => x.attrs.get('host')), ['op1', 'op2', 'cfg5']);
  assert.deepEqual(r.results.block(2).map((x) => x.attrs.get('status')), ['pass', 'pass', 'pass']);
  for (const name of ['op1', 'op2', 'cfg5']) {
    const t = s.sim.devices.get(name)!.transcript();
    const last = t.slice(-9);
    assert.equal(new Set(last.map((e) => e.session)).size, 1, `${name}: one session for both blocks`);
  }
  assert.match(r.stdout, new RegExp(`\\[2\\] all pass: 3 pass\\n`));
  assert.match(r.stdout, new RegExp(`\\[1\\] junos op1 … pass ${DURATION}`));
});

test('a sh block on a Junos device, or a junos block on this machine: refused before anything runs', opts, async () => {
  const r = await s.run(`${F}sh :host mix1\nuname\n${F}\n\n${junos('local')}\nshow version\n${F}\n`);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /nb\.md:1:13 mix1 is a Junos device \(platform: junos\): it runs junos blocks only, and this is a sh block \[junos-platform\]/);
  assert.match(r.stderr, /nb\.md:5:16 junos blocks run on Junos devices over NETCONF, not on local \(this machine\) \[junos-platform\]/);
  assert.deepEqual(s.sim.devices.get('mix1')!.transcript(), []);
});

test(':commit rollback rolls a pending commit confirmed back now: rollback 1 committed under the lock, the device as before, nothing pending', opts, async () => {
  const dev = s.sim.devices.get('rb1')!;
  const before = dev.activeText();
  const nb = [
    `${junos('rb1', ':commit confirmed 5 :name change')}\n${ADD_LOCATION('B7')}${F}`,
    `${junos('rb1', ':commit rollback')}\n${F}`,
    '',
  ].join('\n\n');
  const r = await s.run(nb, ['--block', '1']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(dev.activeText(), /building B7;/);
  assert.ok(dev.pendingConfirm());

  const rb = await s.run(await readFile(join(s.dir, 'nb.md'), 'utf8'), ['--block', '2']);
  assert.equal(rb.code, 0, rb.stderr + rb.stdout);
  const [res] = rb.results.block(2);
  assert.equal(res!.attrs.get('status'), 'pass');
  assert.equal(res!.attrs.get('rollback-at'), undefined);
  assert.match(res!.body, /^root@rb1> configure exclusive\nroot@rb1# rollback 1\nload complete\nroot@rb1# show \| compare\n\[edit system\]\n- +location \{\n- +building B7;\n- +\}\nroot@rb1# commit comment "modus: nb\.md block 2"\ncommit complete\nmodus: rolled back: rb1 has the configuration of .* again, from before the commit confirmed of .* \(modus: nb\.md block 1 \(change\)\); nothing is pending any more\nroot@rb1# exit\nExiting configuration mode$/);
  assert.equal(dev.activeText(), before, 'the device is back to its configuration before the change');
  assert.equal(dev.pendingConfirm(), null);
  assert.equal(dev.history()[0]!.log, 'modus: nb.md block 2');
  assert.equal(dev.lockHolder(), null);
  assert.doesNotMatch(rb.stdout, /rolls back at/);
  // The journal says nothing is pending any more (what the app's countdown is derived from).
  const journal = (await readFile(join(s.dir, '.modus', 'journal', 'nb.md.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { block: number; details?: { rollbackAt: string | null } });
  assert.deepEqual(journal.slice(-2).map((j) => [j.block, j.details?.rollbackAt === null ? null : typeof j.details?.rollbackAt]), [[0, 'string'], [1, null]]);
});

test(':commit rollback after a commit confirmed extended by another: back to before the first, as the device would at the deadline', opts, async () => {
  const dev = s.sim.devices.get('rb2')!;
  const before = dev.activeText();
  const nb = [
    `${junos('rb2', ':commit confirmed 5')}\n${ADD_LOCATION('C1')}${F}`,
    `${junos('rb2', ':commit confirmed 10')}\nset system location floor 3\n${F}`,
    `${junos('rb2', ':commit rollback')}\n${F}`,
    '',
  ].join('\n\n');
  const r = await s.run(nb, [], 'extend.md');
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const [res] = r.results.block(3);
  assert.match(res!.body, /root@rb2# rollback 2\n/);
  assert.equal(dev.activeText(), before);
  assert.equal(dev.pendingConfirm(), null);
});

test(':commit rollback or :commit confirm with nothing pending: a clear failure, nothing committed, and nothing left pending in the journal', opts, async () => {
  const dev = s.sim.devices.get('rb3')!;
  const history = dev.history().length;
  const r = await s.run(`${junos('rb3', ':commit rollback')}\n${F}\n\n${junos('rb3', ':commit confirm')}\n${F}\n`, ['--keep-going'], 'nothing.md');
  assert.equal(r.code, 1);
  const [rb] = r.results.block(1);
  assert.equal(rb!.attrs.get('status'), 'fail');
  assert.match(rb!.body, /^modus: nothing to roll back on rb3: no commit confirmed is pending: it was already confirmed or rolled back, or none was made\. Nothing was changed$/m);
  const [conf] = r.results.block(2);
  assert.match(conf!.body, /nothing to confirm on rb3/);
  assert.equal(dev.history().length, history);
  assert.ok(!dev.transcript().some((t) => /<commit-configuration|<lock-configuration/.test(t.rpc)));
  const journal = (await readFile(join(s.dir, '.modus', 'journal', 'nothing.md.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { details?: { rollbackAt: string | null } });
  assert.deepEqual(journal.map((j) => j.details), [{ rollbackAt: null }, { rollbackAt: null }]);
});
