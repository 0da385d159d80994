// A target loaded on first use (lazy-target.ts): how the Junos target is
// kept out of runs that have no Junos device. Its code loads once, for the
// first block, however many blocks start at the same time; a target never
// used is never loaded, even to be disposed; and the real Junos target is
// what a junos host of HostTargets runs on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LazyTarget } from '../../../main/targets/lazy-target.js';
import { HostTargets } from '../../../main/run/host-targets.js';
import type { RunIO, ScriptOutcome, ScriptRequest, Target, TargetSession } from '../../../main/targets/target.js';

class CountingTarget implements Target {
  runs = 0;
  disposed = 0;
  describe(): string {
    return 'inner';
  }
  async run(req: ScriptRequest): Promise<ScriptOutcome> {
    this.runs++;
    return { kind: 'failed', message: `ran ${req.script}` };
  }
  openSession(name: string): Promise<TargetSession> {
    return Promise.reject(new Error(`no session ${name} here`));
  }
  async dispose(): Promise<void> {
    this.disposed++;
  }
}

const io: RunIO = { signal: new AbortController().signal, onData: () => undefined };
const req = (script: string): ScriptRequest => ({ language: 'junos', script });

test('the target loads once, for the first blocks, and every call reaches it', async () => {
  const inner = new CountingTarget();
  let loads = 0;
  const lazy = new LazyTarget('r1', async () => {
    loads++;
    return inner;
  });
  assert.equal(lazy.describe(), 'r1');
  assert.equal(loads, 0, 'describing the target does not load it');
  const outcomes = await Promise.all([lazy.run(req('a'), io), lazy.run(req('b'), io), lazy.run(req('c'), io)]);
  assert.deepEqual(outcomes.map((o) => (o as { message: string }).message), ['ran a', 'ran b', 'ran c']);
  assert.equal(loads, 1);
  assert.equal(inner.runs, 3);
  await assert.rejects(lazy.openSession('s'), /no session s here/);
  await lazy.dispose();
  assert.equal(inner.disposed, 1);
  assert.equal(loads, 1);
});

test('a target never used is never loaded, not even to be disposed', async () => {
  let loads = 0;
  const lazy = new LazyTarget('r2', async () => {
    loads++;
    return new CountingTarget();
  });
  await lazy.dispose();
  assert.equal(loads, 0);
});

test('a failure to load reaches the block that needed the target', async () => {
  const lazy = new LazyTarget('r3', () => Promise.reject(new Error('cannot load the Junos target')));
  await assert.rejects(lazy.run(req('x'), io), /cannot load the Junos target/);
  // The run's end still disposes the rest: a target that never loaded has nothing to end.
  await lazy.dispose();
});

test('a junos host of HostTargets runs on the Junos target once loaded: a non-junos block gets its refusal', async () => {
  const targets = new HostTargets({ notebookDir: '/nonexistent-modus-dir' });
  const t = targets.resolve({ label: 'edge1', platform: 'junos' });
  assert.ok(!('error' in t));
  assert.equal(t.describe(), 'edge1');
  const outcome = await t.run({ language: 'sh', script: 'uname -a' }, io);
  assert.deepEqual(outcome, { kind: 'failed', message: 'edge1 is a Junos device: it runs junos blocks only, not sh' });
  await targets.dispose();
});
