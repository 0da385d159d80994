// What goes wrong with SSH, against a real sshd: each case ends with a
// `failed` outcome whose message says what happened and what to do, and
// nothing is left running on the host after a stop.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { regenerateHostKey, restartSshd, runProgram, stopSshd } from '../../helpers/sshd.js';
import { SshShared, type SshSharedOptions } from '../../../main/targets/ssh/ssh-connection.js';
import { SshTarget } from '../../../main/targets/ssh/ssh-target.js';
import type { SecretRequest } from '../../../main/targets/ssh/askpass.js';
import type { ScriptOutcome, ScriptRunner } from '../../../main/targets/target.js';
import { runOnHost } from '../../../main/run/run-host.js';
import { fixtureForFile, runOn } from './fixture.js';

const ssh = fixtureForFile();
const skip = ssh.skip;

function messageOf(o: ScriptOutcome): string {
  assert.equal(o.kind, 'failed', `expected a failure, got ${JSON.stringify(o)}`);
  return (o as { message: string }).message;
}

/** A target over its own masters, with a config file made from the fixture's by `edit`. */
async function targetWith(edit: (config: string) => string, options: Partial<SshSharedOptions> = {}, name = 'variant'): Promise<SshTarget> {
  return (await ssh.f.withConfig({ name, edit, options })).target;
}

async function processesWith(token: string): Promise<string> {
  const r = await runProgram(['pgrep', '-af', token]);
  return r.stdout.split('\n').filter((l) => l.includes(token) && !l.includes('pgrep')).join('\n');
}

async function until(check: () => Promise<boolean>, what: string, deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const STUBBORN = (token: string): string =>
  `import signal, sys, time\nfor s in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):\n    signal.signal(s, signal.SIG_IGN)\nprint("ready", flush=True)\ntime.sleep(1000)\n# ${token}`;

test('a stopped run leaves nothing on the host, even a program that ignores SIGHUP and SIGTERM', { skip: skip ?? false }, async () => {
  const t = ssh.f.target();
  const token = `modus-stubborn-${process.pid}-1`;
  const stop = new AbortController();
  const chunks: string[] = [];
  const script = `python3 - ${token} <<'EOF'\n${STUBBORN(token)}\nEOF\n`;
  const running = t.run({ language: 'sh', script }, {
    signal: stop.signal,
    onData: (b) => {
      chunks.push(Buffer.from(b).toString());
      if (chunks.join('').includes('ready')) stop.abort('timeout');
    },
  });
  const outcome = await running;
  assert.deepEqual(outcome, { kind: 'aborted' });
  await until(async () => (await processesWith(token)) === '', `${token} to be gone from the host`);
});

/** Processes on the host (the fixture's sshd runs on this machine) whose command line is exactly `argv`. */
function processesRunning(argv: readonly string[]): number[] {
  const wanted = `${argv.join('\0')}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'latin1') === wanted) found.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** Field `n` (1-based, as proc(5) counts) of a process's /proc stat line. */
function statField(pid: number, n: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[n - 3]);
}

/** Ends what a test left on the host, and waits until it is gone. */
async function killLeft(argv: readonly string[]): Promise<void> {
  for (const p of processesRunning(argv)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // gone
    }
  }
  await until(async () => processesRunning(argv).length === 0, `${argv.join(' ')} to end`);
}

test('a stopped run leaves nothing on the host, even a job that job control put in a process group of its own', { skip: skip ?? false }, async () => {
  const t = ssh.f.target();
  // A sleep no other test (or other run of this one) starts: found on the host by its exact command line.
  const sleep = ['sleep', `612.${process.pid}`];
  const stop = new AbortController();
  let seen = '';
  let job = 0;
  try {
    const outcome = await t.run({ language: 'sh', script: `bash -c 'set -m; ${sleep.join(' ')} & echo "job=$!"; wait'\n` }, {
      signal: stop.signal,
      onData: (b) => {
        seen += Buffer.from(b).toString();
        const m = /job=(\d+)/.exec(seen);
        if (!m || job !== 0) return;
        job = Number(m[1]);
        // What the test is about: the job is in the block's session but not in its process group.
        assert.notEqual(statField(job, 5), statField(job, 6), `the job ${job} is in a process group of its own`);
        stop.abort('timeout');
      },
    });
    assert.deepEqual(outcome, { kind: 'aborted' });
    await until(async () => processesRunning(sleep).length === 0, `${sleep.join(' ')} (in the stopped block's session) to be gone from the host`);
  } finally {
    await killLeft(sleep);
  }
});

/**
 * Runs a block with a 1 s timeout through `over`, freezing (SIGSTOP) the sshd
 * that serves it once the block runs, so the stop cannot reach the host;
 * checks the verdict does not claim the block was stopped, and that it is so.
 */
async function stopThroughFrozenSshd(over: ScriptRunner, sleepSeconds: number): Promise<void> {
  const sleep = ['sleep', `${sleepSeconds}.${process.pid}`];
  let frozen: number | null = null;
  let shell = 0;
  // The run counts as waiting (its clock stopped) until sshd is frozen: the timeout then fires with the host out of reach, however long the start took.
  const runner: ScriptRunner = {
    run: (req, io) => {
      io.waiting?.('the test freezes the host first');
      let seen = '';
      return over.run(req, {
        ...io,
        onData: (b) => {
          seen += Buffer.from(b).toString();
          const m = /sh=(\d+)/.exec(seen);
          if (m && frozen === null) {
            shell = Number(m[1]);
            frozen = parentOf(shell);
            assert.equal(readFileSync(`/proc/${frozen}/comm`, 'latin1').trim(), 'sshd', `the parent of the block's shell (${shell}) is ${frozen}, not sshd`);
            process.kill(frozen, 'SIGSTOP');
            io.waiting?.(null);
          }
          return io.onData(b);
        },
      });
    },
  };
  try {
    const r = await runOnHost({
      host: 'h1',
      runner,
      request: { language: 'sh', script: `echo "sh=$PPID"\n${sleep.join(' ')}\n` },
      timeoutMs: 1000,
      expect: [],
      expectExit: 0,
      redact: [],
      signal: new AbortController().signal,
    });
    assert.equal(r.status, 'timeout');
    assert.equal(
      r.message,
      `timed out after 1.0s; could not reach h1 to stop it (no answer within 5s), so the block may still be running there (process group and session ${shell}: run \`pkill -s ${shell}\` on h1, or \`kill -- -${shell}\` where there is no pkill)`,
    );
    // What it says is so: the block's sleep still runs on the host.
    assert.equal(processesRunning(sleep).length, 1, `${sleep.join(' ')} runs on the host`);
  } finally {
    if (frozen !== null) process.kill(frozen, 'SIGCONT');
    await killLeft(sleep);
  }
}

test('a stop that cannot reach the host does not say the block was stopped: it says it may still run there and how to end it', { skip: skip ?? false }, async () => {
  // Its own master, so the sshd frozen here serves this test's connection only.
  const { target } = await ssh.f.withConfig({ name: 'frozen' });
  await stopThroughFrozenSshd(target, 640);
});

test('a session run whose stop cannot reach the host does not say it was stopped either', { skip: skip ?? false }, async () => {
  // A session's block is sourced by its bash, whose parent is the session's shell: $PPID names it as a fresh run's does.
  const { target } = await ssh.f.withConfig({ name: 'frozen-session' });
  await stopThroughFrozenSshd(await target.openSession('frozen'), 641);
});

test('a stopped session run kills the session on the host; the next run starts a new shell and says so', { skip: skip ?? false }, async () => {
  const t = ssh.f.target();
  const s = await t.openSession('stubborn');
  await runOn(s, { script: 'X=kept' });
  const token = `modus-stubborn-${process.pid}-2`;
  const stop = new AbortController();
  let seen = '';
  const outcome = await s.run({ language: 'sh', script: `python3 - ${token} <<'EOF'\n${STUBBORN(token)}\nEOF\n` }, {
    signal: stop.signal,
    onData: (b) => {
      seen += Buffer.from(b).toString();
      if (seen.includes('ready')) stop.abort('cancelled');
    },
  });
  assert.deepEqual(outcome, { kind: 'aborted' });
  await until(async () => (await processesWith(token)) === '', `${token} to be gone from the host`);
  const next = await runOn(s, { script: 'echo "X=${X:-unset}"' });
  assert.match(next.output, /started a new shell/);
  assert.match(next.output, /X=unset/);
  await s.dispose();
});

/** The process a shell on the host was started by: for a block's own shell, the sshd that serves its connection. */
function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Kills the sshd process that serves the connection of the shell `pid` (as a crash or a reboot of sshd would): the shell's pty hangs up. */
function dropConnectionOf(pid: number): void {
  const sshd = parentOf(pid);
  assert.equal(readFileSync(`/proc/${sshd}/comm`, 'latin1').trim(), 'sshd', `the parent of the block's shell (${pid}) is ${sshd}, not sshd`);
  process.kill(sshd, 'SIGKILL');
}

test('a lost connection leaves no directory on the host: a run\'s and a session\'s are removed when the hangup reaches their shell', { skip: skip ?? false }, async () => {
  const { target } = await ssh.f.withConfig({ name: 'hangup' });
  const gate = join(ssh.f.dir, 'hangup-gate');
  // A run: the block outlives its connection, as on any host, and its directory goes when it ends.
  let seen = '';
  let runDir = '';
  const outcome = await target.run({ language: 'sh', script: `echo "dir=\${0%/*} sh=$PPID"\nwhile [ ! -e ${gate} ]; do sleep 0.05; done\n` }, {
    signal: new AbortController().signal,
    onData: (b) => {
      seen += Buffer.from(b).toString();
      const m = /dir=(\S+) sh=(\d+)/.exec(seen);
      if (m && runDir === '') {
        runDir = m[1]!;
        assert.ok(existsSync(runDir), `the run's directory ${runDir} is there while it runs`);
        dropConnectionOf(Number(m[2]));
      }
    },
  });
  const sh = /sh=(\d+)/.exec(seen)![1]!;
  // The block runs on by design (it may have dropped its own connection): the message says how to see it and end it.
  assert.match(messageOf(outcome), new RegExp(`connection to h1 was lost while the block ran \\(.+\\); the block may still be running there \\(process group and session ${sh}: run \`pgrep -s ${sh}\` on h1 to see what is left, \`pkill -s ${sh}\` to stop it\\)`));
  await writeFile(gate, '');
  await until(async () => !existsSync(runDir), `the run's directory ${runDir} to be removed`, 30_000);
  await rm(gate);

  // A session, idle between runs: its bash ends when the FIFO's writer loses the pty; then the directory goes.
  const s = await target.openSession('hangup');
  const r = await runOn(s, { script: 'echo "file=${BASH_SOURCE[0]} sh=$PPID"' });
  const m = /file=(\S+) sh=(\d+)/.exec(r.output);
  assert.ok(m, r.output);
  const sessionDir = m[1]!.slice(0, m[1]!.lastIndexOf('/'));
  assert.ok(existsSync(join(sessionDir, 'in')), `the session's FIFO in ${sessionDir} is there`);
  dropConnectionOf(Number(m[2]));
  await until(async () => !existsSync(sessionDir), `the session's directory ${sessionDir} to be removed`, 30_000);
  await s.dispose();
});

test('an unknown host key: no connection, the fingerprint and how to accept it; no authentication was attempted', { skip: skip ?? false }, async () => {
  const asked: SecretRequest[] = [];
  const prompter = async (q: SecretRequest): Promise<string> => {
    asked.push(q);
    return ssh.f.client.passphrase;
  };
  const before = (await readFile(ssh.f.host.logFile, 'utf8')).length;
  const t = await targetWith(
    (c) => c.replace(/UserKnownHostsFile .*/, `UserKnownHostsFile ${join(ssh.f.client.dir, 'empty_known_hosts')}`).replace(/IdentityFile .*/, `IdentityFile ${ssh.f.client.encryptedKey}`),
    { prompter, acceptHint: 'run again with --accept-new-host-keys' },
    'unknown',
  );
  await writeFile(join(ssh.f.client.dir, 'empty_known_hosts'), '');
  const r = await runOn(t, { script: 'echo should-not-run' });
  const m = messageOf(r.outcome);
  assert.match(m, /host key of h1 .* is not known/);
  assert.ok(m.includes(ssh.f.host.hostKeyFingerprint), `fingerprint ${ssh.f.host.hostKeyFingerprint} in: ${m}`);
  assert.match(m, /--accept-new-host-keys/);
  assert.deepEqual(asked, [], 'the passphrase was asked for before the host key was verified');
  const log = (await readFile(ssh.f.host.logFile, 'utf8')).slice(before);
  assert.doesNotMatch(log, /Accepted|Failed|Postponed|userauth/i);
});

test('--accept-new-host-keys adds a new key and connects; a changed key is refused even then', { skip: skip ?? false }, async () => {
  const known = join(ssh.f.client.dir, 'accept_known_hosts');
  await writeFile(known, '');
  const t = await targetWith((c) => c.replace(/UserKnownHostsFile .*/, `UserKnownHostsFile ${known}`), { acceptNewHostKeys: true }, 'accept');
  const r = await runOn(t, { script: 'echo connected' });
  assert.deepEqual(r.outcome, { kind: 'exited', exitCode: 0 });
  assert.match(await readFile(known, 'utf8'), /ssh-ed25519/);

  await regenerateHostKey(ssh.f.host);
  const changed = await targetWith((c) => c.replace(/UserKnownHostsFile .*/, `UserKnownHostsFile ${known}`), { acceptNewHostKeys: true }, 'changed');
  const m = messageOf((await runOn(changed, { script: 'echo should-not-run' })).outcome);
  assert.match(m, /host key of h1 has CHANGED/);
  assert.ok(m.includes(ssh.f.host.hostKeyFingerprint), `new fingerprint ${ssh.f.host.hostKeyFingerprint} in: ${m}`);
  assert.match(m, /ssh-keygen -R/);
  // Put the fixture's known_hosts right again for the tests that follow.
  const text = await readFile(ssh.f.client.knownHosts, 'utf8');
  await writeFile(ssh.f.client.knownHosts, text.replace(/ssh-ed25519 \S+/g, ssh.f.host.hostPublicKey));
});

test('a refused connection says so and suggests checking sshd', { skip: skip ?? false }, async () => {
  const t = await targetWith((c) => c, {}, 'refused');
  await stopSshd(ssh.f.host);
  try {
    const m = messageOf((await runOn(t, { script: 'true' })).outcome);
    assert.match(m, /cannot connect to h1 \(127\.0\.0\.1 port \d+\): connection refused; is sshd running there/);
  } finally {
    await restartSshd(ssh.f.host);
  }
});

test('authentication failures: a key the host does not know; with nobody to ask, ssh fails at once instead of prompting', { skip: skip ?? false }, async () => {
  const wrongKey = join(ssh.f.client.dir, 'id_unknown');
  await runProgram(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
  const t = await targetWith((c) => c.replace(/IdentityFile .*/, `IdentityFile ${wrongKey}`), {}, 'wrongkey');
  const m = messageOf((await runOn(t, { script: 'true' })).outcome);
  // Who ssh logged in as, and where: the user and address ssh -G gave.
  assert.match(m, new RegExp(`authentication to h1 as root@127\\.0\\.0\\.1 port ${ssh.f.host.port} failed \\(the server accepts: publickey\\)`));
  const locked = await targetWith((c) => c.replace(/IdentityFile .*/, `IdentityFile ${ssh.f.client.encryptedKey}`), {}, 'batch');
  assert.match(messageOf((await runOn(locked, { script: 'true' })).outcome), /authentication to h1 as root@\S+ port \d+ failed .*nobody could be asked for a password or passphrase \(no terminal\): run from a terminal, or load the key into ssh-agent/);
});

test('a passphrase is asked through askpass, naming the host, and used once for every run of the connection', { skip: skip ?? false }, async () => {
  const asked: SecretRequest[] = [];
  const prompter = async (q: SecretRequest): Promise<string> => {
    asked.push(q);
    return ssh.f.client.passphrase;
  };
  const t = await targetWith((c) => c.replace(/IdentityFile .*/, `IdentityFile ${ssh.f.client.encryptedKey}`), { prompter }, 'passphrase');
  for (let i = 0; i < 3; i++) assert.deepEqual((await runOn(t, { script: 'echo in' })).outcome, { kind: 'exited', exitCode: 0 });
  assert.equal(asked.length, 1);
  assert.equal(asked[0]!.host, 'h1');
  assert.match(asked[0]!.prompt, /passphrase/i);

  const d = await targetWith((c) => c.replace(/IdentityFile .*/, `IdentityFile ${ssh.f.client.encryptedKey}`), { prompter: async () => null }, 'declined');
  const declined = messageOf((await runOn(d, { script: 'true' })).outcome);
  assert.match(declined, /authentication to h1 as root@\S+ port \d+ failed/);
  assert.doesNotMatch(declined, /nobody could be asked/, 'someone was asked, and declined');
});

test('no ssh on PATH: the message names the package to install', { skip: skip ?? false }, async () => {
  const t = await targetWith((c) => c, {}, 'nossh');
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    const m = messageOf((await runOn(t, { script: 'true' })).outcome);
    assert.match(m, /OpenSSH client \(ssh\) is not installed.*apt-get install openssh-client/);
  } finally {
    process.env.PATH = path;
  }
});

test('destinations that could be options or shell syntax are refused before ssh runs', { skip: skip ?? false }, async () => {
  for (const host of ['-oProxyCommand=touch /tmp/pwned', 'h1;reboot', 'h1 $(id)', 'a\nb']) {
    const t = new SshTarget(host, { host }, new SshShared({ configFile: ssh.f.client.sshConfig }));
    const m = messageOf((await runOn(t, { script: 'true' })).outcome);
    assert.match(m, /host name/);
  }
  const u = new SshTarget('h1', { host: 'h1', user: '-lroot' }, new SshShared({ configFile: ssh.f.client.sshConfig }));
  assert.match(messageOf((await runOn(u, { script: 'true' })).outcome), /user "-lroot" starts with "-"/);
});
