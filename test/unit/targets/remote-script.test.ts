// The command that stops a run on a host: one text for any login shell, and
// run by this machine's /bin/sh it must end everything in the run's session
// (job control's groups too), fall back to the process group without pkill,
// and say by its status whether anything was left.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from '../../../main/files/find-executable.js';
import { KILL_LEFT_STATUS, remoteKillCommand } from '../../../main/targets/ssh/remote-script.js';

const DIR = '/tmp/modus.AbCdEf0123';

function innerOf(command: string): string {
  const m = /^exec \/bin\/sh -c '([^']*)'$/.exec(command);
  assert.ok(m, `one single-quoted script for /bin/sh: ${command}`);
  return m[1]!;
}

test('the kill command is one single-quoted sh script without a quote, ! or backslash, so any login shell passes it on unchanged', () => {
  for (const command of [remoteKillCommand(4242, DIR), remoteKillCommand(4242, null)]) {
    const inner = innerOf(command);
    // csh expands ! even inside single quotes; fish reads backslashes there.
    assert.doesNotMatch(inner, /[!\\\n]/);
    assert.match(inner, /\bp=4242;/);
  }
});

test('the kill command signals the session with pkill and the process group with kill, without `--` (dash), and removes only the directory it is given', () => {
  const inner = innerOf(remoteKillCommand(4242, DIR));
  assert.match(inner, /pkill -\$1 -s \$p/);
  assert.match(inner, /kill -\$1 -\$p/);
  assert.match(inner, /sig TERM;.*sig KILL;/);
  assert.doesNotMatch(inner, / -- /);
  assert.match(inner, new RegExp(`rm -rf ${DIR};`));
  assert.doesNotMatch(innerOf(remoteKillCommand(4242, null)), /rm /);
});

/** Runs the command as a login shell would hand it on (sh -c), with PATH as given; resolves with its exit status. */
function runKill(command: string, path = process.env.PATH ?? ''): Promise<number | null> {
  // Asynchronous: node reaps the stopped session's leader (its child) only while its event loop runs.
  return new Promise((resolve) => {
    execFile('/bin/sh', ['-c', command], { env: { ...process.env, PATH: path } }, (err) => resolve(err ? ((err as { code?: number }).code ?? null) : 0));
  });
}

function cmdlines(): Map<number, string> {
  const out = new Map<number, string>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      out.set(Number(e), readFileSync(`/proc/${e}/cmdline`, 'latin1'));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** The sleeps of a test (`sleep 600.TOKEN`, `sleep 601.TOKEN`), by their exact command lines. */
const sleeps = (token: string, which: readonly number[] = [600, 601]): number[] => {
  const wanted = which.map((n) => `sleep\0${n}.${token}\0`);
  return [...cmdlines()].filter(([, c]) => wanted.includes(c)).map(([p]) => p);
};

async function until(check: () => boolean, what: string, deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const perl = findExecutable('perl');

/**
 * A run as sshd starts it: a session leader (node's detached spawn calls
 * setsid) with a child in its process group and one that made a group of its
 * own in the same session, as job control does. Resolves with the leader's pid
 * once both children run.
 */
async function startSession(token: string): Promise<number> {
  const inGroup = `exec sleep 600.${token}`;
  const ownGroup = `exec ${perl} -e 'setpgrp(0, 0); exec "sleep", "601.${token}"'`;
  const leader = spawn('/bin/sh', ['-c', `(${inGroup}) & (${ownGroup}) & wait`], { detached: true, stdio: 'ignore' });
  await until(() => sleeps(token).length === 2, 'both sleeps to run');
  return leader.pid!;
}

function cleanUp(token: string): void {
  for (const p of sleeps(token)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

test('run by sh, the kill command ends the whole session, a group of its own included, and exits 0 once nothing is left', { skip: perl && findExecutable('pkill') ? false : 'needs perl and pkill' }, async () => {
  const token = `${process.pid}1`;
  try {
    const pid = await startSession(token);
    assert.equal(await runKill(remoteKillCommand(pid, null)), 0);
    assert.deepEqual(sleeps(token), []);
  } finally {
    cleanUp(token);
  }
});

test('without pkill the kill command still ends the process group (a group of its own is out of its reach)', { skip: perl ? false : 'needs perl' }, async () => {
  const token = `${process.pid}2`;
  const bin = await mkdtemp(join(tmpdir(), 'modus-nopkill-'));
  try {
    for (const tool of ['sleep', 'rm']) await symlink(findExecutable(tool)!, join(bin, tool));
    const pid = await startSession(token);
    assert.equal(await runKill(remoteKillCommand(pid, null), bin), 0);
    assert.deepEqual(sleeps(token, [600]), []);
    assert.equal(sleeps(token, [601]).length, 1, 'the sleep in a group of its own is left: pkill was not used');
  } finally {
    cleanUp(token);
    await rm(bin, { recursive: true, force: true });
  }
});

test('a zombie left in the session (its parent has not reaped it) is not something left running: the kill command exits 0', { skip: perl && findExecutable('pkill') ? false : 'needs perl and pkill', timeout: 30_000 }, async () => {
  // The parent, outside the session, never reaps the child that made it: the session is one zombie.
  const parent = spawn(perl!, ['-e', 'use POSIX; $| = 1; my $c = fork; if (!$c) { POSIX::setsid(); exit 0 } print "$c\\n"; sleep 600'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (b: Buffer) => resolve(b.toString()))));
    await until(() => readFileSync(`/proc/${zombie}/stat`, 'latin1').includes(') Z '), 'the child to be a zombie');
    assert.equal(await runKill(remoteKillCommand(zombie, null)), 0);
  } finally {
    parent.kill('SIGKILL');
  }
});

test(`the kill command exits ${KILL_LEFT_STATUS} when something of the session still runs after SIGKILL`, async () => {
  const bin = await mkdtemp(join(tmpdir(), 'modus-stuck-'));
  try {
    // A pkill that signals nothing and a pgrep that lists this (running) process: as with another user's process, or one stuck in the kernel.
    await writeFile(join(bin, 'pgrep'), `#!/bin/sh\necho ${process.pid}\n`, { mode: 0o755 });
    await writeFile(join(bin, 'pkill'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    await symlink(findExecutable('sleep')!, join(bin, 'sleep'));
    assert.equal(await runKill(remoteKillCommand(2147483000, null), bin), KILL_LEFT_STATUS);
  } finally {
    await rm(bin, { recursive: true, force: true });
  }
});
