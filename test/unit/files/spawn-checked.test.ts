// A process the system refuses to start (no file left for its pipes): a
// clear error at once, and no 'error' event left to end the process.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { clientBudget } from '../../../main/targets/ssh/client-budget.js';
import { openFiles } from '../../../main/files/spawn-checked.js';

const MODULE = join(import.meta.dirname, '..', '..', '..', 'main', 'files', 'spawn-checked.js');

/** Node with `script` (an ES module) under a hard open-file limit of `limit`. */
function underLimit(limit: number, script: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('/bin/bash', ['-c', `ulimit -n ${limit} && ulimit -Hn ${limit} && exec "$0" --input-type=module -e "$1"`, process.execPath, script], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('spawning with no file left for the pipes throws SpawnRefusedError naming the limit and what to do; nothing crashes later', () => {
  const r = underLimit(64, `
    import { openSync, closeSync } from 'node:fs';
    import { spawnChecked } from ${JSON.stringify(MODULE)};
    const held = [];
    try { for (;;) held.push(openSync('/dev/null', 'r')); } catch {}
    // Two files left: a child with three pipes needs six.
    closeSync(held.pop()); closeSync(held.pop());
    try {
      spawnChecked('ssh', '/bin/true', [], { stdio: ['pipe', 'pipe', 'pipe'] });
      console.log('spawned');
    } catch (e) {
      console.log(e.name + ': ' + e.message);
    }
    // The refused child's own 'error' comes a tick later: it must not end the process.
    setTimeout(() => console.log('still alive'), 50);
  `);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^SpawnRefusedError: cannot start ssh: Modus has \d+ files open and may have at most 64 \(the open-file limit, ulimit -n\): run fewer hosts at once \(:parallel, --jobs\) or raise the limit/m);
  assert.match(r.stdout, /still alive/);
});

test('openFiles reads the soft limit and the files open; the client budget leaves room for the rest of a run', () => {
  const r = underLimit(300, `
    import { openFiles } from ${JSON.stringify(MODULE)};
    console.log(JSON.stringify(openFiles()));
  `);
  assert.equal(r.status, 0, r.stderr);
  const files = JSON.parse(r.stdout) as { open: number; limit: number };
  assert.equal(files.limit, 300);
  assert.ok(files.open > 3 && files.open < 300, `open: ${files.open}`);
  assert.ok(openFiles() !== null);
  // 1000 files, 40 open: 48 kept for the rest of the run, four per client.
  assert.equal(clientBudget({ open: 40, limit: 1000 }).clients, 228);
  assert.match(clientBudget({ open: 40, limit: 1000 }).why, /one of the 228 ssh clients the open-file limit allows at once \(ulimit -n 1000;/);
  assert.equal(clientBudget({ open: 40, limit: 60 }).clients, 1, 'always one: the hosts run one after another');
  assert.match(clientBudget({ open: 40, limit: 60 }).why, /^waiting for the one ssh client/);
});

test('a program gone or not executable is named as such, not as a full system', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { spawnChecked } = await import('../../../main/files/spawn-checked.js');
  const dir = mkdtempSync(join(tmpdir(), 'modus-spawn-'));
  try {
    const notExecutable = join(dir, 'ssh');
    writeFileSync(notExecutable, '#!/bin/sh\n', { mode: 0o644 });
    // Root may execute nothing without an x bit either: the kernel asks for one.
    assert.throws(() => spawnChecked('ssh', notExecutable, [], { stdio: 'ignore' }), /cannot start ssh: .*\/ssh is not executable: check its permissions/);
    assert.throws(() => spawnChecked('ssh', join(dir, 'gone'), [], { stdio: 'ignore' }), /cannot start ssh: .*\/gone is not there \(any more\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
