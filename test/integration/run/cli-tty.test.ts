// `modus run` on a terminal: :confirm asks (showing the command) and runs on
// "y", declining writes the block as cancelled; progress lines are shown.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as pty from 'node-pty';
import { DURATION, MODUS, notebook, resultsBodies, scratch } from './helpers.js';

function runOnTerminal(args: string[], cwd: string, answers: { when: RegExp; send: string }[]): Promise<{ code: number; screen: string }> {
  return new Promise((resolve) => {
    const term = pty.spawn(process.execPath, [MODUS, ...args], { cwd, cols: 120, rows: 30, env: { ...process.env, TERM: 'xterm-256color' } as Record<string, string> });
    let screen = '';
    const pending = [...answers];
    term.onData((d) => {
      screen += d;
      const next = pending[0];
      if (next && next.when.test(screen)) {
        pending.shift();
        term.write(next.send);
      }
    });
    // A guard against a hang (a prompt never matched), so the test fails with the screen instead of timing out silently.
    const guard = setTimeout(() => term.kill('SIGKILL'), 60_000);
    term.onExit(({ exitCode }) => {
      clearTimeout(guard);
      resolve({ code: exitCode, screen });
    });
  });
}

test('on a terminal, :confirm shows the command and asks; y runs it, n cancels it', async () => {
  const dir = await scratch();
  const fence = '```';
  const nb = await notebook(dir, `${fence}sh :confirm :name first\necho yes-ran\n${fence}\n\n${fence}sh :confirm\necho must-not-run\n${fence}\n`);
  const r = await runOnTerminal(['run', nb, '--keep-going'], dir, [
    { when: /Run block 1 \(first\)\? \[y\/N\] /, send: 'y\r' },
    { when: /Run block 2\? \[y\/N\] /, send: 'n\r' },
  ]);
  assert.equal(r.code, 1, r.screen);
  assert.match(r.screen, /block 1 \(first\): sh on local\r\n {4}echo yes-ran/);
  assert.match(r.screen, new RegExp(`\\[1\\] sh local … pass ${DURATION}`));
  assert.match(r.screen, /\[2\] sh local … cancelled/);
  const results = resultsBodies(await readFile(nb, 'utf8'));
  assert.equal(results[0]!.body, 'yes-ran');
  assert.match(results[1]!.attrs, /:status cancelled :hash [0-9a-f]{12}$/);
  assert.equal(results[1]!.body, 'modus: not run: confirmation declined');
});
