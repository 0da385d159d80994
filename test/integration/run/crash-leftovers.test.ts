// After `kill -9` of a running `modus run`, the next run cleans what the dead
// one left: its scripts' scratch directory, a temp copy of the notebook, a
// journal lock; never anything of a process that is still alive.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { modus, notebook, resultsBodies, scratch, startModus } from './helpers.js';

const fence = '```';

async function deadPid(): Promise<number> {
  const child = spawn('true');
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; !(await check()); i++) {
    assert.ok(i < 1200, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('kill -9 in the middle of a block: the next run removes the dead run\'s leftovers and keeps a live one\'s', async () => {
  const dir = await scratch();
  const runtime = join(dir, 'runtime');
  await mkdir(runtime, { mode: 0o700 });
  const env = { ...process.env, XDG_RUNTIME_DIR: runtime };
  const nb = await notebook(dir, `${fence}sh\necho $$ > started; sleep 60\n${fence}\n\n${fence}sh\necho fine\n${fence}\n`);
  const first = startModus(['run', nb], dir, env);
  await until(async () => (await stat(join(dir, 'started')).catch(() => null)) !== null, 'the block to start');
  const blockPid = Number((await readFile(join(dir, 'started'), 'utf8')).trim());
  const scratchRoot = join(runtime, 'modus');
  const left = (await readdir(scratchRoot)).filter((n) => n.startsWith(`${first.child.pid}-`));
  assert.equal(left.length, 1, 'the running block has its scratch directory under the runtime directory');
  first.child.kill('SIGKILL');
  await first.done;
  process.kill(blockPid, 'SIGKILL');

  // What other crashes leave: a temp copy of the notebook and a journal lock of dead processes,
  // and a scratch directory of a process that is alive (this test's).
  const dead = await deadPid();
  const temp = join(dir, `.nb.md.modus-${dead}-0123456789ab.tmp`);
  await writeFile(temp, 'half a notebook');
  await mkdir(join(dir, '.modus', 'journal'), { recursive: true });
  const journalLock = join(dir, '.modus', 'journal', 'nb.md.jsonl.lock');
  await writeFile(journalLock, `${dead} ${hostname()} ${Date.now()}\n`);
  const alive = join(scratchRoot, `${process.pid}-scripts-alive`);
  await mkdir(alive, { mode: 0o700 });

  const r = await modus(['run', nb, '--block', '2'], dir, env);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(resultsBodies(await readFile(nb, 'utf8')).map((x) => x.body), ['fine']);
  const remaining = await readdir(scratchRoot);
  assert.ok(!remaining.includes(left[0]!), `the killed run's scratch directory is gone (${remaining.join(', ')})`);
  assert.ok(remaining.includes(`${process.pid}-scripts-alive`), 'a live process\'s directory is left alone');
  await assert.rejects(stat(temp), 'the dead writer\'s temp copy is gone');
  await assert.rejects(stat(journalLock), 'the dead writer\'s journal lock is gone');
  assert.deepEqual((await readdir(dir)).filter((n) => n.endsWith('.tmp')), []);
});
