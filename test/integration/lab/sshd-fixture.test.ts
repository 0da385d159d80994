// The test sshd (test/helpers/sshd.ts) is what every SSH test stands on, so
// it is checked against OpenSSH's own tools: the client logs in with the
// written config, ssh-keyscan sees the fingerprint we report, a regenerated
// key is the "changed host key" OpenSSH refuses, and a stopped sshd refuses
// connections.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeClient, regenerateHostKey, restartSshd, runProgram, sshdAvailable, startSshd, stopSshd } from '../../helpers/sshd.js';
import type { ClientFiles, SshdHost } from '../../helpers/sshd.js';

const skip = sshdAvailable();
if (skip) console.log(`skipped: ${skip}`);

/** BatchMode: a prompt would otherwise wait for a terminal that is not there. */
function ssh(client: ClientFiles, host: string, ...command: string[]) {
  return runProgram(['ssh', '-F', client.sshConfig, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', host, '--', ...command], { timeoutMs: 30_000 });
}

async function keyscanFingerprint(h: SshdHost): Promise<string> {
  const scan = await runProgram(['ssh-keyscan', '-t', 'ed25519', '-p', String(h.port), h.address], { timeoutMs: 30_000 });
  assert.equal(scan.code, 0, scan.stderr);
  const lf = await runProgram(['ssh-keygen', '-lf', '-'], { input: scan.stdout, timeoutMs: 30_000 });
  assert.equal(lf.code, 0, lf.stderr);
  return lf.stdout.split(/\s+/)[1]!;
}

test('a test sshd on 127.0.0.1: login, fingerprint, changed key, stop', { skip: skip ?? false }, async (t) => {
  const dir = await mkdtemp('/tmp/modus-sshd-');
  const h = await startSshd({ dir: join(dir, 'server'), name: 'alpha' }).catch(async (err: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw err;
  });
  t.after(async () => {
    await stopSshd(h);
    await rm(dir, { recursive: true, force: true });
  });
  const client = await makeClient(join(dir, 'client'), [h]);

  assert.ok(h.pid(), 'pid read from the pid file');
  const ok = await ssh(client, 'alpha', 'echo', 'ok');
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, 'ok\n');

  const askpass = join(dir, 'askpass');
  await writeFile(askpass, `#!/bin/sh\necho '${client.passphrase}'\n`, { mode: 0o700 });
  const withPassphrase = await runProgram(
    // Not through sshConfig: its IdentityFile (the plain key) would log in whatever became of the passphrase.
    ['ssh', '-F', '/dev/null', '-i', client.encryptedKey, '-o', 'IdentitiesOnly=yes', '-o', `UserKnownHostsFile=${client.knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-p', String(h.port), `root@${h.address}`, '--', 'echo', 'unlocked'],
    { timeoutMs: 30_000, env: { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: '' } },
  );
  assert.equal(withPassphrase.stdout, 'unlocked\n', withPassphrase.stderr);

  assert.match(h.hostKeyFingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
  assert.equal(await keyscanFingerprint(h), h.hostKeyFingerprint);

  const before = h.hostKeyFingerprint;
  await regenerateHostKey(h);
  assert.notEqual(h.hostKeyFingerprint, before);
  assert.equal(await keyscanFingerprint(h), h.hostKeyFingerprint);
  const changed = await ssh(client, 'alpha', 'true');
  assert.equal(changed.code, 255);
  assert.match(changed.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED/);

  await stopSshd(h);
  assert.equal(h.pid(), null);
  await stopSshd(h);
  const refused = await ssh(client, 'alpha', 'true');
  assert.equal(refused.code, 255);
  assert.match(refused.stderr, /Connection refused/);

  await restartSshd(h);
  const fresh = await makeClient(join(dir, 'client2'), [h], { omitFromKnownHosts: ['alpha'] });
  const unknown = await ssh(fresh, 'alpha', 'true');
  assert.equal(unknown.code, 255);
  assert.match(unknown.stderr, /No ED25519 host key is known|Host key verification failed/);
  const again = await ssh(client, 'alpha', 'true');
  assert.match(again.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED/, 'the restarted sshd kept the regenerated key');
});

test('a bad sshd_config line is reported with sshd -t\'s own words', { skip: skip ?? false }, async (t) => {
  const dir = await mkdtemp('/tmp/modus-sshd-');
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assert.rejects(startSshd({ dir, name: 'bad', extraConfig: ['NoSuchKeyword yes'] }), /invalid[\s\S]*Bad configuration option: NoSuchKeyword/);
});

test('the encrypted client key needs its passphrase', { skip: skip ?? false }, async (t) => {
  const dir = await mkdtemp('/tmp/modus-sshd-');
  t.after(() => rm(dir, { recursive: true, force: true }));
  const client = await makeClient(dir, []);
  const wrong = await runProgram(['ssh-keygen', '-y', '-P', 'wrong', '-f', client.encryptedKey], { timeoutMs: 30_000 });
  assert.notEqual(wrong.code, 0);
  const right = await runProgram(['ssh-keygen', '-y', '-P', client.passphrase, '-f', client.encryptedKey], { timeoutMs: 30_000 });
  assert.equal(right.code, 0, right.stderr);
});
