// The Junos simulator through a real OpenSSH sshd: `ssh -F sshConfig -s
// NAME netconf` reaches the device named NAME (several devices, one sshd,
// told apart by port), sessions behave as on the device, and stop() leaves
// nothing running.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { descendants, sshdsOf } from '../../helpers/sshd.js';
import { junosSimAvailable, startJunosSim, type JunosSim } from '../../junos-sim/harness.js';
import { elements, rpcErrors, text, waitFor, xml } from '../../junos-sim/reading-replies.js';
import { HELLO_11, SshNetconf } from './ssh-netconf.js';

const skip = junosSimAvailable();
let dir: string;
let sim: JunosSim;

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'modus-junos-sim-'));
  sim = await startJunosSim({ dir: join(dir, 'sim'), devices: [{ name: 'r1' }, { name: 'r2' }], clock: 'manual' });
});

after(async () => {
  await sim?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const skipped = skip ? `skipped: ${skip}` : false;

test('hello and RPCs through sshd: lock, load, compare, commit confirmed, show system commit', { skip: skipped }, async () => {
  const c = new SshNetconf(sim.sshConfig, 'r1');
  const hello = await c.hello();
  assert.match(hello, /<capability>urn:ietf:params:netconf:capability:confirmed-commit:1\.0<\/capability>/);
  assert.doesNotMatch(hello, /base:1\.1/);
  assert.deepEqual(rpcErrors(await c.rpc('<lock-configuration/>')), []);
  assert.equal(sim.devices.get('r1')!.lockHolder(), 'root', 'the user comes from sshd (USER)');
  const load = await c.rpc('<load-configuration action="merge" format="text"><configuration-text>protocols { bgp { group rr { neighbor 10.255.0.253; } } }</configuration-text></load-configuration>');
  assert.equal(elements(xml(load), 'ok').length, 1);
  const diff = await c.rpc('<get-configuration compare="rollback" rollback="0" format="text"/>');
  assert.equal(text(diff, 'configuration-output'), '[edit protocols bgp group rr]\n+  neighbor 10.255.0.253;');
  const commit = await c.rpc('<commit-configuration><confirmed/><confirm-timeout>2</confirm-timeout><log>ssh test</log></commit-configuration>');
  assert.equal(elements(xml(commit), 'commit-success').length, 1);
  const listing = await c.rpc('<command format="text">show system commit</command>');
  assert.match(text(listing, 'output')!, /^0 {3}\S+ \S+ UTC by root via netconf commit confirmed, rollback in 2mins\n {4}ssh test$/m);
  await c.rpc('<unlock-configuration/>');
  assert.equal(elements(xml(await c.rpc('<close-session/>')), 'ok').length, 1);
  assert.deepEqual(await c.closed(), { code: 0, signal: null });

  const r1 = sim.devices.get('r1')!;
  assert.ok(r1.pendingConfirm());
  await sim.advanceClock(2 * 60_000);
  assert.equal(r1.pendingConfirm(), null);
  assert.doesNotMatch(r1.activeText(), /10\.255\.0\.253/);
  assert.equal(r1.history()[0]!.comment, 'Commit was not confirmed; automatic rollback complete');
});

test('two devices behind one sshd answer as themselves', { skip: skipped }, async () => {
  const replies = await Promise.all(
    ['r1', 'r2'].map(async (name) => {
      const c = new SshNetconf(sim.sshConfig, name);
      const hello = await c.hello();
      const version = await c.rpc('<get-software-information/>');
      await c.rpc('<load-configuration action="set" format="text"><configuration-set>set system location building-' + name + '</configuration-set></load-configuration>');
      await c.close();
      return { hello, version };
    }),
  );
  assert.deepEqual(
    replies.map((r) => text(r.version, 'host-name')),
    ['r1', 'r2'],
  );
  const [id1, id2] = replies.map((r) => /<session-id>(\d+)<\/session-id>/.exec(r.hello)?.[1]);
  assert.notEqual(id1, id2);
  // Each load went to its own device (and stayed uncommitted there: no lock was held).
  assert.match(sim.devices.get('r1')!.candidateText(), /building-r1/);
  assert.doesNotMatch(sim.devices.get('r1')!.candidateText(), /building-r2/);
  assert.match(sim.devices.get('r2')!.candidateText(), /building-r2/);
});

test('the ssh_config, known_hosts and inventory written for the devices', { skip: skipped }, () => {
  const config = readFileSync(sim.sshConfig, 'utf8');
  for (const d of sim.devices.values()) {
    const block = new RegExp(`Host ${d.name}\\n  HostName 127\\.0\\.0\\.1\\n  Port ${d.port}\\n  User root\\n  IdentityFile ${sim.identity}\\n  IdentitiesOnly yes\\n  UserKnownHostsFile ${sim.knownHosts}\\n  GlobalKnownHostsFile /dev/null\\n  StrictHostKeyChecking yes\\n`);
    assert.match(config, block);
    assert.match(readFileSync(sim.knownHosts, 'utf8'), new RegExp(`^\\[127\\.0\\.0\\.1\\]:${d.port} ssh-ed25519 `, 'm'));
  }
  const inventory = parseYaml(readFileSync(sim.inventory, 'utf8')) as { hosts: Record<string, { address: string; port: number; platform: string }> };
  assert.deepEqual(inventory.hosts, {
    r1: { address: '127.0.0.1', port: sim.devices.get('r1')!.port, platform: 'junos' },
    r2: { address: '127.0.0.1', port: sim.devices.get('r2')!.port, platform: 'junos' },
  });
});

test('a connection that drops releases its lock and discards its uncommitted changes', { skip: skipped }, async () => {
  const r2 = sim.devices.get('r2')!;
  const c = new SshNetconf(sim.sshConfig, 'r2');
  await c.hello();
  await c.rpc('<discard-changes/>');
  await c.rpc('<lock-configuration/>');
  await c.rpc('<load-configuration action="set" format="text"><configuration-set>set system host-name half-way</configuration-set></load-configuration>');
  assert.equal(r2.lockHolder(), 'root');
  c.kill();
  await c.closed();
  await waitFor(() => r2.lockHolder() === null, 'the lock to be released');
  assert.doesNotMatch(r2.candidateText(), /half-way/);
});

test('a simulator offering base:1.1 frames replies in chunks for a client that offers it too', { skip: skipped }, async () => {
  const chunky = await startJunosSim({ dir: join(dir, 'chunky'), devices: [{ name: 'c1' }], base11: true });
  try {
    const c = new SshNetconf(chunky.sshConfig, 'c1');
    const hello = await c.hello(HELLO_11);
    assert.match(hello, /urn:ietf:params:netconf:base:1\.1/);
    const reply = await c.rpc('<get-software-information/>');
    assert.equal(text(reply, 'host-name'), 'c1');
    assert.match(Buffer.concat(c.received).toString(), /\n#\d+\n<rpc-reply[^]*\n##\n$/);
    await c.close();
  } finally {
    await chunky.stop();
  }
});

test('sshd speaks like a Junos 21.4 router: no sntrup761 key exchange, the subsystem run without the machine\'s ~/.bashrc', { skip: skipped }, async () => {
  const verbose = spawnSync('ssh', ['-F', sim.sshConfig, '-v', '-o', 'BatchMode=yes', 'r1', 'echo "shlvl=$SHLVL"'], { encoding: 'utf8', timeout: 30_000 });
  assert.match(verbose.stderr, /kex: algorithm: curve25519-sha256/);
  // bash counts itself: sshd's SHLVL=1 makes it 2, a nested shell, which reads no ~/.bashrc.
  assert.match(verbose.stdout, /^shlvl=2$/m);
});

for (const connector of ['native', 'node'] as const) {
  test(`the ${connector} subsystem through sshd: a session, and a refused subsystem`, { skip: skipped }, async (t) => {
    const other = await startJunosSim({ dir: join(dir, `connector-${connector}`), devices: [{ name: 'n1' }], connector });
    try {
      if (other.connector !== connector) return t.skip('no C compiler (cc) to build netconf-connector.c');
      const c = new SshNetconf(other.sshConfig, 'n1');
      await c.hello();
      assert.equal(text(await c.rpc('<get-software-information/>'), 'host-name'), 'n1');
      await c.rpc('<lock-configuration/>');
      assert.equal(other.devices.get('n1')!.lockHolder(), 'root');
      await c.close();
      other.devices.get('n1')!.fault({ kind: 'refuse-subsystem' });
      const refused = new SshNetconf(other.sshConfig, 'n1');
      assert.deepEqual(await refused.closed(), { code: 1, signal: null });
      assert.deepEqual(refused.messages, []);
    } finally {
      await other.stop();
    }
  });
}

test('stop() leaves no sshd, no subsystem process and no socket', { skip: skipped }, async () => {
  const other = await startJunosSim({ dir: join(dir, 'stopping'), devices: [{ name: 's1' }] });
  const c = new SshNetconf(other.sshConfig, 's1');
  await c.hello();
  await c.rpc('<lock-configuration/>');
  const listener = other.sshd.pid()!;
  const started = descendants(listener);
  assert.ok(started.length > 0, 'a session runs under sshd');
  await other.stop();
  await c.closed();
  assert.deepEqual(sshdsOf(other.sshd.configFile), []);
  await waitFor(() => started.every((pid) => !running(pid)), 'the session processes to be gone');
  assert.equal(existsSync(other.socket), false);
});

/** Alive and not a zombie waiting for its parent. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
