// A passphrase typed at `modus run`'s terminal prompt opens the key, is not
// echoed, and is found nowhere afterwards: not in the notebook, the journal
// (records and output blobs), the exported report, the terminal transcript,
// Modus's scratch directories, or ssh's logs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import * as pty from 'node-pty';
import { scratchRoot } from '../../../main/files/scratch-dir.js';
import { MODUS, modus, notebook, resultsBodies, scratch } from '../run/helpers.js';
import { fixtureForFile } from './fixture.js';

const ssh = fixtureForFile();
const skip = ssh.skip;

/** Every file under dir, decompressing .gz, as text. */
async function allText(dir: string): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    const s = await stat(p).catch(() => null);
    if (!s) continue;
    if (s.isDirectory()) out.push(...(await allText(p)));
    else if (s.isFile()) {
      const raw = await readFile(p);
      // Another test's run may be writing its output spool right now: what it has written so far is searched too.
      out.push({ file: p, text: (n.endsWith('.gz') ? gunzipSync(raw, { finishFlush: zlibConstants.Z_SYNC_FLUSH }) : raw).toString('latin1') });
    }
  }
  return out;
}

test('a passphrase asked on the terminal works, is not echoed, and is stored nowhere', { skip: skip ?? false }, async () => {
  const dir = await scratch();
  const config = join(dir, 'ssh_config');
  await writeFile(config, (await readFile(ssh.f.client.sshConfig, 'utf8')).replace(/IdentityFile .*/, `IdentityFile ${ssh.f.client.encryptedKey}`));
  const nb = await notebook(dir, '```sh :host h1\necho "key opened on $(hostname)"\n```\n');
  const secret = ssh.f.client.passphrase;
  const transcript = await new Promise<{ code: number; screen: string }>((resolve) => {
    const term = pty.spawn(process.execPath, [MODUS, 'run', nb, '--ssh-config', config], { cwd: dir, cols: 120, rows: 30, env: { ...process.env, TERM: 'xterm-256color' } as Record<string, string> });
    let screen = '';
    let answered = false;
    term.onData((d) => {
      screen += d;
      if (!answered && /h1 asks: Enter passphrase for key .*: \(asked once: the answer also opens the key for the run's other hosts\) $/m.test(screen)) {
        answered = true;
        term.write(`${secret}\r`);
      }
    });
    const guard = setTimeout(() => term.kill('SIGKILL'), 60_000);
    term.onExit(({ exitCode }) => {
      clearTimeout(guard);
      resolve({ code: exitCode, screen });
    });
  });
  assert.equal(transcript.code, 0, transcript.screen);
  const [res] = resultsBodies(await readFile(nb, 'utf8'));
  assert.match(res!.body, /^key opened on /);
  const report = await modus(['export', nb, '--html', join(dir, 'report.html')], dir);
  assert.equal(report.code, 0, report.stderr);
  const places = [
    { file: 'terminal transcript', text: transcript.screen },
    ...(await allText(dir)),
    ...(await allText(scratchRoot())),
    { file: 'sshd log', text: await readFile(ssh.f.host.logFile, 'utf8') },
  ];
  assert.ok(places.some((p) => p.file.endsWith('.jsonl')), 'the journal was written');
  for (const p of places) assert.ok(!p.text.includes(secret), `the passphrase is in ${p.file}`);
});

test('a fan-out with an encrypted key asks its passphrase once for all the hosts', { skip: skip ?? false }, async () => {
  const dir = await scratch();
  const config = join(dir, 'ssh_config');
  const aliases = ['a1', 'a2', 'a3', 'a4'].map((a) => ssh.f.alias(a)).join('\n');
  await writeFile(config, `${await readFile(ssh.f.client.sshConfig, 'utf8')}\n${aliases}\n`.replace(/IdentityFile .*/g, `IdentityFile ${ssh.f.client.encryptedKey}`));
  const nb = await notebook(dir, '```sh :host a1,a2,a3,a4\necho "opened on $(hostname)"\n```\n');
  const transcript = await new Promise<{ code: number; screen: string }>((resolve) => {
    const term = pty.spawn(process.execPath, [MODUS, 'run', nb, '--ssh-config', config], { cwd: dir, cols: 200, rows: 30, env: { ...process.env, TERM: 'xterm-256color' } as Record<string, string> });
    let screen = '';
    let answered = 0;
    term.onData((d) => {
      screen += d;
      const asked = (screen.match(/asks: Enter passphrase for key /g) ?? []).length;
      if (asked > answered) {
        answered = asked;
        term.write(`${ssh.f.client.passphrase}\r`);
      }
    });
    const guard = setTimeout(() => term.kill('SIGKILL'), 60_000);
    term.onExit(({ exitCode }) => {
      clearTimeout(guard);
      resolve({ code: exitCode, screen });
    });
  });
  assert.equal(transcript.code, 0, transcript.screen);
  assert.equal((transcript.screen.match(/asks: Enter passphrase for key /g) ?? []).length, 1, `one question for four hosts:\n${transcript.screen}`);
  assert.deepEqual(resultsBodies(await readFile(nb, 'utf8')).map((r) => /:status (\w+)/.exec(r.attrs)?.[1]), ['pass', 'pass', 'pass', 'pass']);
});
