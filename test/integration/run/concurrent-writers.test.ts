// Several writers of one notebook (modus run processes, and later the app and
// the web host) exclude each other across processes: every write happens
// under the notebook's lock file, after reading the file again. Nothing any
// of them writes is lost, a live lock is waited for, a dead one is broken.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { journalLines, modus, notebook, scratch, startModus } from './helpers.js';

const fence = '```';

function blocksNotebook(count: number): string {
  const parts = ['# Ten blocks', ''];
  for (let i = 1; i <= count; i++) parts.push(`${fence}sh :name b${i}`, `echo result-${i}`, fence, '');
  return parts.join('\n');
}

/** The results body under each code block, in order ('' when it has none). */
async function resultsPerBlock(path: string): Promise<string[]> {
  return scanNotebook(await readFile(path, 'utf8')).blocks.map((b) => b.results.map((r) => r.body).join('|'));
}

test('ten modus run processes, one block each, at the same time: every result lands under its block', async () => {
  const dir = await scratch();
  const nb = await notebook(dir, blocksNotebook(10));
  const runs = await Promise.all(Array.from({ length: 10 }, (_, i) => modus(['run', nb, '--block', String(i + 1)], dir)));
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await resultsPerBlock(nb), Array.from({ length: 10 }, (_, i) => `result-${i + 1}`));
  assert.equal((await journalLines(dir)).length, 10);
});

test('a writer waits for a live lock, and writes on the text the lock holder left', async () => {
  const dir = await scratch();
  const nb = await notebook(dir, blocksNotebook(2));
  const lock = join(dir, '.nb.md.modus-lock');
  // This test process holds the notebook's lock, as another writer would.
  await writeFile(lock, `${process.pid} ${hostname()} ${Date.now()}\n`, { mode: 0o600 });
  const run = startModus(['run', nb, '--block', '2'], dir);
  // The block has run (its journal record is written without the notebook's lock), but the notebook waits.
  for (let i = 0; (await journalLines(dir)).length === 0; i++) {
    assert.ok(i < 600, 'the block never ran');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const before = await readFile(nb, 'utf8');
  assert.equal(before, blocksNotebook(2), 'nothing is written while another writer holds the lock');
  // The holder writes its own change, then lets go.
  await writeFile(nb, before.replace('# Ten blocks', '# Ten blocks\n\nEdited by the lock holder.'));
  await rm(lock);
  const r = await run.done;
  assert.equal(r.code, 0, r.stderr);
  const text = await readFile(nb, 'utf8');
  assert.match(text, /Edited by the lock holder\./);
  assert.deepEqual(await resultsPerBlock(nb), ['', 'result-2']);
  await assert.rejects(stat(lock), 'the lock is gone after the write');
});

test('a lock left by a dead process is broken, and the write goes ahead', async () => {
  const dir = await scratch();
  const nb = await notebook(dir, blocksNotebook(1));
  const dead = spawn('true');
  await new Promise((resolve) => dead.on('close', resolve));
  await writeFile(join(dir, '.nb.md.modus-lock'), `${dead.pid} ${hostname()} ${Date.now() - 60_000}\n`, { mode: 0o600 });
  const r = await modus(['run', nb], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await resultsPerBlock(nb), ['result-1']);
});
