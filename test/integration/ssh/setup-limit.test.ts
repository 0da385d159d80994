// The scale promise of `modus run --jobs N`: however many hosts a block fans
// out to, no more than N connections are being set up at once (slots.ts), and
// every host still runs. A fake ssh first on PATH (helpers/fake-ssh.ts) holds
// each setup until the test releases it, so "N under way, the rest waiting"
// is a state the test brings about and then looks at, on any machine speed:
// the test releases one setup only once N are under way (or all that are
// left), and the fake counts, under a lock, the most ever under way at once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GateState } from '../../helpers/fake-ssh.js';
import { processStat } from '../../helpers/processes.js';
import { notebook, resultsBodies, scratch, startModus, type Finished } from '../run/helpers.js';

const HOSTS = 50;
const JOBS = 3;
/** Hosts waiting for a slot, at least, when Modus's file descriptors are compared with a run where none waits. */
const PENDING_FOR_FDS = 40;
/** Descriptors a run may have open for a moment besides (far fewer than one per waiting host). */
const FD_SLACK = 4;
const FAKE_SSH = join(import.meta.dirname, '..', '..', 'helpers', 'fake-ssh.js');

/** A `ssh` running the fake, and the remote side's `stty` (the fake has no pty for the real one to set). */
function installFakeSsh(dir: string): NodeJS.ProcessEnv {
  const bin = join(dir, 'bin');
  const remote = join(dir, 'remote-bin');
  const gate = join(dir, 'gate');
  for (const d of [bin, remote, gate, join(gate, 'release')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nexec '${process.execPath}' '${FAKE_SSH}' "$@"\n`);
  writeFileSync(join(remote, 'stty'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(bin, 'ssh'), 0o755);
  chmodSync(join(remote, 'stty'), 0o755);
  return { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, FAKE_SSH_GATE: gate, FAKE_SSH_REMOTE_PATH: remote };
}

function names(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** Whether a process has a child /bin/sh (or one not yet reaped): Modus's ssh -G batch. */
function hasShChild(pid: number): boolean {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .some((n) => {
      const m = /^\d+ \((.*)\) \S (\d+)/s.exec(processStat(Number(n)));
      return m !== null && m[1] === 'sh' && Number(m[2]) === pid;
    });
}

function gateState(gate: string): GateState {
  const file = join(gate, 'state.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as GateState) : { now: 0, peak: 0 };
}

/** Waits until `ok` holds; fails at once, with what Modus said, when Modus exits first. The limit is a safety net, not a measurement. */
async function waitFor(what: string, ok: () => boolean, exited: () => Finished | null): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!ok()) {
    const r = exited();
    if (r) assert.fail(`modus exited (${r.code}) before ${what}:\n${r.stdout}\n${r.stderr}`);
    assert.ok(Date.now() < deadline, `waited a minute for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface FanOut {
  hosts: string[];
  result: Finished;
  gate: string;
  notebook: string;
  /** Modus's open file descriptors each time JOBS setups were held, with how many hosts then waited for a slot. */
  fds: { waiting: number; count: number }[];
}

/**
 * `modus run --jobs JOBS` of one block on `count` hosts, all :parallel, over
 * the fake ssh: each time the setups under way reach JOBS (or all that are
 * left), Modus's descriptors are counted and one setup is released.
 */
async function fanOut(count: number): Promise<FanOut> {
  const dir = await scratch();
  const env = installFakeSsh(dir);
  const gate = env.FAKE_SSH_GATE!;
  const hosts = Array.from({ length: count }, (_, i) => `h${String(i + 1).padStart(2, '0')}`);
  await writeFile(join(dir, 'inventory.yaml'), `hosts:\n${hosts.map((h) => `  ${h}: { platform: linux }\n`).join('')}groups:\n  fleet: [${hosts.join(', ')}]\n`);
  await writeFile(join(dir, 'ssh_config'), '');
  const nb = await notebook(dir, `\`\`\`sh :host fleet :parallel ${count}\necho ran here\n\`\`\`\n`);
  const { child, done } = startModus(['run', nb, '--jobs', String(JOBS), '--ssh-config', join(dir, 'ssh_config')], dir, env);
  let finished: Finished | null = null;
  void done.then((r) => (finished = r));
  const released = new Set<string>();
  const fds: FanOut['fds'] = [];
  const underWay = (): string[] => names(join(gate, 'started')).filter((h) => !released.has(h));
  try {
    while (released.size < count) {
      const want = Math.min(JOBS, count - released.size);
      await waitFor(`${want} setups under way (${released.size} released)`, () => underWay().length >= want, () => finished);
      // The first setups wait until the ssh -G batch (one sh for every host's configuration) is over: its pipes are not what the hosts hold.
      if (released.size === 0) await waitFor('the ssh -G batch to end', () => !hasShChild(child.pid!), () => finished);
      fds.push({ waiting: count - released.size - want, count: readdirSync(`/proc/${child.pid}/fd`).length });
      const next = underWay().sort()[0]!;
      mkdirSync(join(gate, 'release', next));
      released.add(next);
    }
  } catch (e) {
    // A failed test leaves nothing behind: Modus ends its ssh clients, and the fake masters follow Modus.
    if (!finished) child.kill('SIGTERM');
    throw e;
  }
  return { hosts, result: await done, gate, notebook: nb, fds };
}

const skip = existsSync('/proc/self/fd') ? false : 'counts processes and descriptors in /proc (Linux)';

test(`modus run --jobs ${JOBS} fanning out to ${HOSTS} hosts sets up at most ${JOBS} connections at once, with bounded file descriptors, and runs every host`, { skip }, async () => {
  const big = await fanOut(HOSTS);
  assert.equal(big.result.code, 0, `${big.result.stdout}\n${big.result.stderr}`);
  const state = gateState(big.gate);
  assert.equal(state.peak, JOBS, `at most --jobs ${JOBS} setups at once, and that many (peak ${state.peak})`);
  assert.equal(state.now, 0);
  assert.deepEqual(names(join(big.gate, 'ended')).sort(), big.hosts, 'each host set up once');
  const results = resultsBodies(await readFile(big.notebook, 'utf8')).map((x) => [/:host (\S+)/.exec(x.attrs)?.[1], /:status (\S+)/.exec(x.attrs)?.[1], x.body]);
  assert.deepEqual(results, big.hosts.map((h) => [h, 'pass', 'ran here']), 'every host ran the block');

  // Hosts waiting for a slot hold no descriptors: with 40+ of them Modus has no more open than a run of JOBS hosts, where none waits.
  // The fewest of several counts, so a descriptor open for a moment (a client that just ended, a socket being probed) is not taken for one per host.
  const small = await fanOut(JOBS);
  assert.equal(small.result.code, 0, small.result.stderr);
  const crowded = big.fds.filter((f) => f.waiting >= PENDING_FOR_FDS).map((f) => f.count);
  const alone = Math.max(...small.fds.map((f) => f.count));
  assert.ok(crowded.length > 0);
  assert.ok(Math.min(...crowded) <= alone + FD_SLACK, `descriptors with ${PENDING_FOR_FDS}+ hosts waiting: ${crowded.join(', ')}; with none waiting: ${alone}`);
});
