// `npm start` (scripts/start.js) where Electron's binary is missing: it says
// why and how to get it, then serves the UI with `modus serve` and prints a
// working URL. ELECTRON_OVERRIDE_DIST_PATH points at nothing so the fallback
// is taken even on machines that have Electron, and no download is tried.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..', '..');
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'modus-start-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function start(extraEnv: Record<string, string>): { child: ChildProcessWithoutNullStreams; out: () => string; err: () => string; exited: Promise<number | null> } {
  const env: NodeJS.ProcessEnv = { ...process.env, MODUS_CONFIG_DIR: join(dir, 'config'), ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'no-electron-here') };
  // Only what this test sets decides about browsers and exiting.
  delete env.MODUS_NO_BROWSER;
  delete env.MODUS_START_EXIT_AFTER_READY;
  delete env.CI;
  Object.assign(env, extraEnv);
  const child = spawn(process.execPath, [join(root, 'scripts', 'start.js')], { cwd: root, env });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  // 'close', not 'exit': only then has everything the child wrote been read.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

function urlFrom(child: ChildProcessWithoutNullStreams, out: () => string, err: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const m = /^Modus UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/m.exec(out());
      if (m) {
        child.stdout.off('data', check);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => reject(new Error(`start.js exited (${code}) before printing the URL.\nstdout: ${out()}\nstderr: ${err()}`)));
    check();
  });
}

test('no Electron: explains, serves the UI, the printed URL answers 200, SIGTERM stops everything', async () => {
  const run = start({ MODUS_NO_BROWSER: '1' });
  const url = await urlFrom(run.child, run.out, run.err);
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /<title>Modus<\/title>/);

  // start.js writes its last notice just after the URL: wait for it rather than read too early.
  await new Promise<void>((resolve) => {
    const check = (): void => {
      if (!/not opening a browser/.test(run.err())) return;
      run.child.stderr.off('data', check);
      resolve();
    };
    run.child.stderr.on('data', check);
    check();
  });
  const err = run.err();
  assert.match(err, /Electron's binary is not available, so the desktop window cannot open\./);
  assert.match(err, /why: ELECTRON_OVERRIDE_DIST_PATH is set to .*no-electron-here, but .* does not exist/);
  assert.match(err, /ELECTRON_MIRROR=\S+ npx install-electron/);
  assert.match(err, /ELECTRON_OVERRIDE_DIST_PATH=\/path\/to\/electron\/dist npm start/);
  assert.match(err, /Starting `modus serve` instead/);
  assert.match(err, /not opening a browser \(MODUS_NO_BROWSER is set\); open http:\/\/127\.0\.0\.1:/);
  assert.doesNotMatch(err, /trying to download/, 'an explicit override is not second-guessed with a download');

  run.child.kill('SIGTERM');
  assert.equal(await run.exited, 0);
  await assert.rejects(fetch(url), 'the server stopped with start.js');
});

test('in CI no browser is opened, and MODUS_START_EXIT_AFTER_READY exits 0 once the URL is out', async () => {
  const run = start({ CI: 'true', MODUS_START_EXIT_AFTER_READY: '1' });
  assert.equal(await run.exited, 0, run.err());
  assert.match(run.out(), /^Modus UI: http:\/\/127\.0\.0\.1:\d+\/\?token=\S+$/m);
  assert.match(run.err(), /not opening a browser \(CI is set\)/);
});
