// The local target and the engine on real shells through node-pty: sessions,
// markers that cannot be faked, timeouts, cancellation by AbortSignal, and
// several runs at once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalTarget } from '../../../main/targets/local.js';
import type { RunIO, ScriptRunner } from '../../../main/targets/target.js';
import { runBlocks } from '../../../main/run/engine.js';
import { HostTargets } from '../../../main/run/host-targets.js';
import { NotebookFile } from '../../../main/run/notebook-file.js';
import { planRun } from '../../../main/run/plan.js';
import { runOnHost } from '../../../main/run/run-host.js';
import { processRunning, waitUntil } from '../../helpers/processes.js';
import { notebook, resultsBodies, scratch } from './helpers.js';

function collect(signal = new AbortController().signal): { io: RunIO; text: () => string } {
  const chunks: Buffer[] = [];
  return { io: { signal, onData: (b) => void chunks.push(Buffer.from(b)) }, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function run(runner: ScriptRunner, language: string, script: string): Promise<{ outcome: unknown; text: string }> {
  const c = collect();
  const outcome = await runner.run({ language, script }, c.io);
  return { outcome, text: c.text() };
}

test('a session keeps cwd and variables; other languages run from its cwd; exit status is reported', async () => {
  const dir = await scratch();
  await mkdir(join(dir, 'sub'));
  const target = new LocalTarget({ defaultCwd: dir });
  try {
    const s = await target.openSession('lab');
    assert.deepEqual(await run(s, 'bash', 'cd sub; LAB_VAR=kept; export EXPORTED=yes'), { outcome: { kind: 'exited', exitCode: 0 }, text: '' });
    assert.deepEqual(await run(s, 'sh', 'echo "$PWD $LAB_VAR"; false'), { outcome: { kind: 'exited', exitCode: 1 }, text: `${join(dir, 'sub')} kept\r\n` });
    const py = await run(s, 'python3', 'import os; print(os.getcwd(), os.environ["EXPORTED"])');
    assert.equal(py.text, `${join(dir, 'sub')} yes\r\n`);
  } finally {
    await target.dispose();
  }
});

test('output that mimics an end marker (wrong nonce) does not end the run', async () => {
  const target = new LocalTarget({ defaultCwd: '/' });
  try {
    const s = await target.openSession('m');
    const fake = String.raw`printf '\033]6973;E;00000000000000000000000000000000;0\007'; printf 'MODUS END 0\n'; echo still running; exit_code=7; (exit 7)`;
    const r = await run(s, 'bash', fake);
    assert.deepEqual(r.outcome, { kind: 'exited', exitCode: 7 });
    assert.ok(r.text.endsWith('MODUS END 0\r\nstill running\r\n'), JSON.stringify(r.text));
    assert.deepEqual(await run(s, 'bash', 'echo next'), { outcome: { kind: 'exited', exitCode: 0 }, text: 'next\r\n' });
  } finally {
    await target.dispose();
  }
});

test('a session whose shell exits starts again and says so', async () => {
  const target = new LocalTarget({ defaultCwd: '/' });
  try {
    const s = await target.openSession('x');
    await run(s, 'bash', 'V=1');
    assert.deepEqual((await run(s, 'bash', 'exit 4')).outcome, { kind: 'exited', exitCode: 4 });
    const r = await run(s, 'bash', 'echo "V=$V"');
    assert.equal(r.text, 'modus: session "x" started a new shell because the previous one ended; earlier cwd and variables are gone\r\nV=\r\n');
  } finally {
    await target.dispose();
  }
});

test('bad directory and unknown language are errors that say what is wrong', async () => {
  const target = new LocalTarget({ defaultCwd: '/' });
  try {
    assert.deepEqual((await run(target, 'no-such-lang', 'x')).outcome, { kind: 'failed', message: 'no interpreter for language "no-such-lang": "no-such-lang" is not on PATH' });
    const c = collect();
    assert.deepEqual(await target.run({ language: 'sh', script: 'true', cwd: '/no/such/dir' }, c.io), { kind: 'failed', message: 'working directory /no/such/dir does not exist' });
    assert.deepEqual((await run(target, '../bin/sh', 'x')).outcome, { kind: 'failed', message: 'language "../bin/sh" is not a program name (letters, digits, . _ + - only)' });
  } finally {
    await target.dispose();
  }
});

test('timeout kills the whole process group, also in a session', async () => {
  const dir = await scratch();
  const target = new LocalTarget({ defaultCwd: dir });
  try {
    for (const runner of [target, await target.openSession('t')]) {
      const r = await runOnHost({
        host: 'local', runner, request: { language: 'bash', script: 'sleep 30 & echo $! > bg.pid; sleep 30; echo finished' },
        timeoutMs: 300, expect: [], expectExit: 0, redact: [], signal: new AbortController().signal,
      });
      assert.equal(r.status, 'timeout');
      assert.equal(r.exitCode, null);
      assert.ok(r.text.endsWith('modus: timed out after 300ms and was stopped'), r.text);
      assert.ok(!r.text.includes('finished'));
      // The background sleep was in the block's process group: it is gone too (when it got to start at all).
      const pid = Number(await readFile(join(dir, 'bg.pid'), 'utf8').catch(() => '0'));
      if (pid > 0) await waitUntil(`the background sleep ${pid} is gone`, () => !processRunning(pid));
      await rm(join(dir, 'bg.pid'), { force: true });
    }
  } finally {
    await target.dispose();
  }
});

test('engine: aborting cancels running blocks (written as cancelled) and starts no more; --jobs runs independent blocks at once', async () => {
  const dir = await scratch();
  const fence = '```';
  const path = await notebook(dir, [
    `${fence}bash`, 'touch a.started; while [ ! -e b.started ]; do sleep 0.05; done; echo a', fence, '',
    `${fence}bash`, 'touch b.started; while [ ! -e a.started ]; do sleep 0.05; done; echo b', fence, '',
    `${fence}bash :name slow :session z`, 'echo slow started; touch slow.started; sleep 30', fence, '',
    `${fence}sh :session z`, 'echo never', fence, '',
  ].join('\n'));
  const file = await NotebookFile.open(path);
  const plan = planRun(file.notebook, { file: path });
  const abort = new AbortController();
  const events: string[] = [];
  let slowStarted = false;
  const summary = await runBlocks({
    notebook: file, blocks: plan.blocks, resolver: new HostTargets({ notebookDir: dir }), signal: abort.signal, jobs: 2, journal: false,
    confirm: async () => 'yes',
    onEvent: (e) => {
      if (e.kind === 'host-output' && e.number === 3) slowStarted = true;
      if (e.kind === 'block-end') events.push(`${e.number}:${e.status}`);
      // Block 3 starts as soon as one of 1 and 2 frees its job slot; abort only once both have ended, or the other would be cancelled too.
      if (slowStarted && events.length === 2 && !abort.signal.aborted) abort.abort();
    },
  });
  // Blocks 1 and 2 wait for each other: they only pass because they ran at once.
  // Block 4 shares block 3's session, so it waits for it, and after the abort it never starts.
  assert.deepEqual(events.slice(0, 2).sort(), ['1:pass', '2:pass']);
  assert.deepEqual(events.slice(2), ['3:cancelled']);
  assert.equal(summary.ok, false);
  const results = resultsBodies(await readFile(path, 'utf8'));
  assert.deepEqual(results.map((r) => r.body), ['a', 'b', 'slow started\nmodus: cancelled']);
});
