// The netns lab (test/lab): every host answers as itself over the lab's
// ssh_config, the back hosts only through the bastion, the root namespace
// keeps its routes, forwarding and firewall, the fault helpers do what the
// fault tests will rely on, and down (or up again after a crash) leaves
// nothing behind.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { descendants, runProgram } from '../../helpers/sshd.js';
import { labAvailable, lockLab, nftAvailable, startLab } from '../../lab/lab.js';
import type { Lab } from '../../lab/lab.js';
import { processesIn } from '../../lab/netns.js';
import { LOCK_FILE } from '../../lab/state.js';
import { removeLab } from '../../lab/teardown.js';
import { ROOT_LINK } from '../../lab/topology.js';

const skip = labAvailable();
if (skip) console.log(`skipped: ${skip}`);

const root = join(import.meta.dirname, '..', '..', '..', '..');
const LAB_CLI = join(root, 'dist', 'test', 'lab', 'lab-cli.js');

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

async function out(argv: string[]): Promise<string> {
  const r = await runProgram(argv, { timeoutMs: 30_000 });
  assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

interface RootState {
  routes: string[];
  rules: string;
  forwarding: string;
  firewall: string;
  links: string[];
}

async function allRoutes(): Promise<string[]> {
  return [...(await out(['ip', '-4', 'route', 'show', 'table', 'all'])).split('\n'), ...(await out(['ip', '-6', 'route', 'show', 'table', 'all'])).split('\n')].filter(Boolean);
}

/** The root namespace as the lab must leave it, whether or not a lab (say, one of lab:up) was there before. */
async function rootState(): Promise<RootState> {
  return {
    routes: (await allRoutes()).filter((r) => !r.includes(ROOT_LINK)),
    rules: (await out(['ip', '-4', 'rule'])) + (await out(['ip', '-6', 'rule'])),
    forwarding: ['/proc/sys/net/ipv4/ip_forward', '/proc/sys/net/ipv6/conf/all/forwarding'].map((f) => readFileSync(f, 'utf8').trim()).join(' ') + (await out(['sysctl', 'net.ipv4.ip_forward'])),
    firewall: nftAvailable() ? await out(['nft', 'list', 'ruleset']) : '',
    links: (await out(['ip', '-o', 'link'])).split('\n').map((l) => l.split(':')[1]?.trim() ?? '').filter((l) => l !== '' && !l.startsWith(ROOT_LINK)),
  };
}

function ssh(lab: Lab, host: string, command: string, ...options: string[]) {
  return runProgram(['ssh', '-F', lab.client.sshConfig, '-o', 'BatchMode=yes', ...options, host, '--', command], { timeoutMs: 60_000 });
}

async function mlabNamespaces(): Promise<string[]> {
  return (await out(['ip', 'netns', 'list'])).split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith('mlab-'));
}

async function assertGone(dir: string): Promise<void> {
  assert.deepEqual(await mlabNamespaces(), []);
  assert.notEqual((await runProgram(['ip', 'link', 'show', 'dev', ROOT_LINK])).code, 0, `${ROOT_LINK} is gone`);
  assert.equal(existsSync(dir), false, 'the state directory is gone');
  assert.equal((await out(['ps', '-eo', 'args'])).split('\n').filter((l) => l.includes(dir)).length, 0, 'no process of the lab runs');
}

async function scratch(): Promise<string> {
  return mkdtemp('/tmp/modus-lab-test-');
}

test('a 4-host lab: hosts answer as themselves, back hosts only through the bastion, the root namespace unchanged', { skip: skip ?? false }, async (t) => {
  // Locked first, so no other test's lab is in the picture of the machine before.
  const lock = await lockLab();
  const before = await rootState();
  const lab = await startLab({ hosts: 4, dir: await scratch(), lock });
  t.after(() => lab.down());
  console.log(`4-host lab up in ${lab.bringUpMs} ms`);

  const back = lab.hosts.filter((h) => h.behindBastion);
  assert.deepEqual(back.map((h) => h.name), ['h3']);
  for (const h of [...lab.hosts, lab.bastion]) {
    const r = await ssh(lab, h.name, 'hostname; ip -brief addr show dev eth0; ip netns identify');
    assert.equal(r.code, 0, `${h.name}: ${r.stderr}`);
    assert.equal(r.stdout.split('\n')[0], h.name);
    assert.ok(r.stdout.includes(`${h.address}/24`), `${h.name} has ${h.address}: ${r.stdout}`);
    assert.ok(r.stdout.includes(`${h.address6}/64`), `${h.name} has ${h.address6}: ${r.stdout}`);
    assert.match(r.stdout, new RegExp(`^${h.ns}$`, 'm'));
    const g = await out(['ssh', '-F', lab.client.sshConfig, '-G', h.name]);
    assert.equal(/^proxyjump bastion$/m.test(g), h.behindBastion, `${h.name}'s ProxyJump`);
  }
  const h3 = lab.host('h3');
  assert.match(h3.address, /^203\.0\.113\./);

  // From the root namespace the back segment is only where its own default route (eth0) sends anything unknown,
  // never into the lab; the front hosts' neighbours have no route there at all.
  assert.match(await out(['ip', 'route', 'get', lab.host('h1').address]), new RegExp(`dev ${ROOT_LINK} `));
  assert.doesNotMatch(await out(['ip', 'route', 'get', h3.address]), new RegExp(`dev ${ROOT_LINK} `));
  assert.doesNotMatch(await out(['ip', '-6', 'route', 'get', h3.address6]), new RegExp(`dev ${ROOT_LINK} `));
  const fromFront = await lab.exec('h1', ['bash', '-c', `exec 3<>/dev/tcp/${h3.address}/22`], { timeoutMs: 10_000 });
  assert.notEqual(fromFront.code, 0);
  assert.match(fromFront.stderr, /Network is unreachable/);

  assert.deepEqual(await rootState(), before);
  const added = (await allRoutes()).filter((r) => r.includes(ROOT_LINK));
  assert.ok(added.some((r) => r.startsWith('198.51.100.0/24 dev mlab0 ')));
  for (const r of added) assert.match(r, /proto kernel/, `only connected routes on ${ROOT_LINK}: ${r}`);
  assert.ok(!added.some((r) => r.startsWith('default')));

  const removed = await lab.down({
    whileLocked: async () => {
      await assertGone(lab.dir);
      assert.deepEqual(await rootState(), before);
    },
  });
  assert.equal(removed.namespaces.length, 6);
});

test('the fault helpers: refused, timed out, cable pulled, changed key, and back', { skip: skip ?? false }, async (t) => {
  const lab = await startLab({ hosts: 2, dir: await scratch() });
  t.after(() => lab.down());
  // Only where the connection must fail: a loaded machine may take more than a second to say hello.
  const quick = ['-o', 'ConnectTimeout=1'];
  const ok = async (name: string) => {
    const r = await ssh(lab, name, 'echo ok');
    assert.equal(r.stdout, 'ok\n', `${name}: ${r.stderr}`);
  };

  await lab.stopSshd('h1');
  assert.match((await ssh(lab, 'h1', 'true', ...quick)).stderr, /Connection refused/);
  await lab.startSshd('h1');
  await ok('h1');

  const noNft = nftAvailable();
  if (noNft) console.log(`dropTraffic not checked: ${noNft}`);
  else {
    await lab.dropTraffic('h1');
    assert.match((await ssh(lab, 'h1', 'true', ...quick)).stderr, /timed out/);
    await lab.allowTraffic('h1');
    await lab.allowTraffic('h1');
    await ok('h1');
  }

  await lab.linkDown('h1');
  assert.match((await ssh(lab, 'h1', 'true', ...quick)).stderr, /timed out|No route to host/);
  await lab.linkUp('h1');
  await ok('h1');

  // The bastion down: a back host cannot be reached, though its own sshd runs.
  await lab.stopSshd('bastion');
  const jump = await ssh(lab, 'h2', 'true', ...quick);
  assert.notEqual(jump.code, 0);
  assert.match(jump.stderr, /Connection refused/);
  await lab.startSshd('bastion');
  await ok('h2');

  // sshd killed in the middle of a run: with its sessions, the client sees the connection drop.
  const long = runProgram(['ssh', '-F', lab.client.sshConfig, '-o', 'BatchMode=yes', 'h1', '--', 'echo started; exec sleep 600'], { timeoutMs: 60_000 });
  const listener = lab.host('h1').sshd.pid()!;
  const deadline = Date.now() + 30_000;
  while (!descendants(listener).some((p) => commandOf(p) === 'sleep')) {
    assert.ok(Date.now() < deadline, 'the remote sleep never started');
    await new Promise((r) => setTimeout(r, 10));
  }
  await lab.stopSshd('h1', { sessions: true });
  const dropped = await long;
  assert.equal(dropped.code, 255);
  // The remote sleep ran after the echo, but its line may still have been on its way back when sshd was killed (seen on a loaded machine).
  assert.match(dropped.stdout, /^(started\n)?$/);
  await lab.startSshd('h1');
  await ok('h1');

  await lab.changeHostKey('h2');
  assert.match((await ssh(lab, 'h2', 'true')).stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED/);

  const exec = await lab.exec('h2', ['ip', 'netns', 'identify']);
  assert.equal(exec.stdout.trim(), 'mlab-h2');
});

function lockHolder(): string | null {
  try {
    return readFileSync(LOCK_FILE, 'utf8');
  } catch {
    return null;
  }
}

/** lab-cli.js as a child of this test, which holds the lab lock for it. */
async function cli(...args: string[]): Promise<string> {
  const env = { ...process.env, MODUS_LAB_LOCK_HELD_BY: String(process.pid) };
  const r = await runProgram([process.execPath, LAB_CLI, ...args], { env, timeoutMs: 120_000 });
  assert.equal(r.code, 0, `lab-cli.js ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** What a crash leaves: sshds gone without a word, one namespace and the lab's description missing. */
async function crash(dir: string): Promise<string[]> {
  const leftover = await mlabNamespaces();
  const pids = processesIn(leftover);
  assert.ok(pids.length >= 4, 'an sshd in each host and the bastion');
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  // A killed process is gone once the kernel has torn it down, not when kill returns (a loaded machine showed 2 still there).
  const deadline = Date.now() + 30_000;
  for (let left = processesIn(leftover); left.length > 0; left = processesIn(leftover)) {
    assert.ok(Date.now() < deadline, `processes still in the lab's namespaces 30 s after SIGKILL: ${left.join(', ')}`);
    // One forked just before the kill (an sshd's child) is killed too: the crash takes everything in the lab.
    for (const pid of left.filter((p) => !pids.includes(p))) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await rm(join(dir, 'lab.json'));
  await out(['ip', 'netns', 'del', 'mlab-h2']);
  return leftover.filter((n) => n !== 'mlab-h2');
}

test('up after a crash, by lab-cli.js and by startLab; lab-cli.js down', { skip: skip ?? false }, async (t) => {
  const lock = await lockLab();
  t.after(async () => {
    // A failure half way leaves lab-cli.js's lab; it is ours to remove only while the lock still is.
    if (lockHolder() === lock.token) await removeLab();
    await lock.release();
  });
  const before = await rootState();
  const first = await scratch();
  assert.match(await cli('up', '--hosts', '3', '--dir', first), /^lab up: 3 hosts and a bastion in [\d.]+ s$/m);
  await crash(first);

  const second = await scratch();
  const again = await cli('up', '--hosts', '3', '--dir', second);
  assert.match(again, /^lab up: first removed 4 namespaces, 0 processes, mlab0, /m);
  assert.equal(existsSync(first), false, 'the crashed lab directory was removed');
  const ssh2 = await runProgram(['ssh', '-F', join(second, 'ssh_config'), '-o', 'BatchMode=yes', 'h2', 'ip netns identify'], { timeoutMs: 60_000 });
  assert.equal(ssh2.stdout, 'mlab-h2\n', ssh2.stderr);
  assert.match(await cli('down', '--dir', second), /^lab down: removed 5 namespaces, 4 processes, mlab0, /m);
  await assertGone(second);
  assert.match(await cli('down'), /^lab down: no lab was up$/m);

  const third = await scratch();
  await cli('up', '--hosts', '3', '--dir', third);
  const leftover = await crash(third);
  const lab = await startLab({ hosts: 4, dir: await scratch(), lock });
  assert.deepEqual([...lab.replaced.namespaces].sort(), leftover.sort());
  assert.equal(lab.replaced.processes, 0);
  for (const h of [...lab.hosts, lab.bastion]) {
    const r = await ssh(lab, h.name, 'ip netns identify');
    assert.equal(r.stdout.trim(), h.ns, r.stderr);
  }
  await lab.down({
    whileLocked: async () => {
      await assertGone(lab.dir);
      assert.equal(existsSync(third), false);
      assert.deepEqual(await rootState(), before);
    },
  });
});
