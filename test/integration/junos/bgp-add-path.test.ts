// notebooks/bgp-add-path.md, the MOP as shipped, run with `modus run`
// against a simulated edge router with two route reflectors: every block
// passes, the router ends with add-path on the reflector group, its commit
// history carries the notebook's comments (the change, committed confirmed,
// then its confirmation), and `modus export` makes the report of it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultConfig } from '../../junos-sim/default-config.js';
import { junosSimAvailable } from '../../junos-sim/harness.js';
import { REPO, modus } from '../run/helpers.js';
import { simRun, type SimRun } from './sim-run.js';

const skip = junosSimAvailable();
const opts = { skip: skip ? `skipped: ${skip}` : false } as const;

/** The simulator's edge router, its one reflector replaced by the notebook's two (203.0.113.1, .2). */
function edgeWithTwoReflectors(): string {
  const base = defaultConfig('edge1');
  const one = /( +)neighbor 10\.255\.0\.254 \{\n +description "route reflector";\n +\}\n/;
  assert.match(base, one);
  return base.replace(one, (_m, indent: string) =>
    ['203.0.113.1', '203.0.113.2'].map((a, i) => `${indent}neighbor ${a} {\n${indent}    description "route reflector ${i + 1}";\n${indent}}\n`).join(''));
}

let s: SimRun;
before(async () => {
  if (!skip) s = await simRun({ devices: [{ name: 'edge1', config: edgeWithTwoReflectors() }], clock: 'manual' });
});
after(async () => {
  await s?.close();
});

test('bgp-add-path.md runs end to end: pre-checks, dry run, commit confirmed, post-checks, confirm; the router keeps add-path', opts, async () => {
  const dev = s.sim.devices.get('edge1')!;
  const text = await readFile(join(REPO, 'notebooks', 'bgp-add-path.md'), 'utf8');
  const historyBefore = dev.history().length;
  const r = await s.run(text, ['--var', 'settle=0'], 'bgp-add-path.md');
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /^11 pass\n$/m);
  assert.doesNotMatch(r.stdout, /rolls back at/);

  // The router's configuration and history.
  assert.match(dev.activeText(), /group rr \{[^]*family inet \{\n\s+unicast \{\n\s+add-path \{\n\s+receive;\n\s+send \{\n\s+path-count 4;\n\s+\}\n\s+\}\n\s+\}\n\s+\}/);
  assert.equal(dev.pendingConfirm(), null);
  const history = dev.history();
  assert.equal(history.length, historyBefore + 2, 'two commits: the change and its confirmation');
  assert.deepEqual([history[1]!.comment, history[1]!.log], ['commit confirmed, rollback in 5mins', 'modus: bgp-add-path.md block 6 (change)']);
  assert.equal(history[0]!.log, 'modus: bgp-add-path.md block 11 (confirm)');

  // The results in the notebook: the dry run's diff, the deadline, the post-checks, the history.
  const dry = r.results.block(5)[0]!;
  assert.match(dry.body, /\[edit protocols bgp group rr family inet unicast\]\n\+ +add-path \{/);
  assert.match(dry.body, /configuration check succeeds\n/);
  const change = r.results.block(6)[0]!;
  assert.match(change.attrs.get('rollback-at') ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  for (const n of [8, 9]) assert.match(r.results.block(n)[0]!.body, /<addpath-send-path-count nlri="inet-unicast">4<\/addpath-send-path-count>/);
  assert.match(r.results.block(10)[0]!.body, /Addpath: send inet-unicast \(path-count 4\), receive inet-unicast/);
  assert.match(r.results.block(12)[0]!.body, /root@edge1> show system commit\n0 .* by root via netconf\n {4}modus: bgp-add-path\.md block 11 \(confirm\)\n1 .* by root via netconf commit confirmed, rollback in 5mins\n {4}modus: bgp-add-path\.md block 6 \(change\)\n/);
  assert.deepEqual(r.results.block(13), [], 'the back-out block is documentation');

  // The report.
  const out = join(s.dir, 'report.html');
  // The results hash covers each device's address and port: export judges staleness with the same inventory.
  await copyFile(s.sim.inventory, join(s.dir, 'inventory.yaml'));
  const e = await modus(['export', 'bgp-add-path.md', '--html', out], s.dir);
  assert.equal(e.code, 0, e.stderr);
  const html = await readFile(out, 'utf8');
  assert.match(html, /Enable BGP add-path towards the route reflectors/);
  assert.match(html, /rollback-at/);
  // The Junos results are coloured (spans of the editor's tokens); their text is the device's.
  const shown = html.replace(/<[^>]+>/g, '');
  assert.match(shown, /commit confirmed will be automatically rolled back in 5 minutes unless confirmed/);
  assert.match(shown, /modus: bgp-add-path\.md block 11 \(confirm\)/);
  assert.match(html, /<span class="jt-meta-diff-header">\[edit protocols bgp group rr family inet unicast\]<\/span>/);
  // A badge per results block and one per run in the timeline.
  assert.equal((html.match(/class="badge status-pass"/g) ?? []).length, 2 * 11);
  assert.doesNotMatch(html, /class="badge status-(fail|error|timeout|cancelled)"/);
  // With the same inventory beside it, every Junos result still describes its block; the one stale result is
  // the local settle block's, which ran with --var settle=0 where the notebook says 30.
  assert.equal((html.match(/class="badge stale"/g) ?? []).length, 1);
  assert.match(html, /<div class="result status-pass stale"><div class="result-head">(?:(?!<\/div>).)*<span class="label">host<\/span> local<\/span>/);
});

test('a failing post-check stops the run before the confirmation: the router rolls the change back by itself', opts, async () => {
  const dev = s.sim.devices.get('edge1')!;
  const original = dev.activeText();
  const text = await readFile(join(REPO, 'notebooks', 'bgp-add-path.md'), 'utf8');
  // The change configures 2 paths while the post-checks expect {{paths}} (4): the first post-check fails.
  const r = await s.run(text.replace(/path-count {{paths}};/g, 'path-count 2;'), ['--var', 'settle=0'], 'failing.md');
  assert.equal(r.code, 1);
  assert.equal(r.results.block(8)[0]!.attrs.get('status'), 'fail');
  assert.match(r.results.block(8)[0]!.body, /modus: expected XPath .*addpath-send-path-count\[@nlri = 'inet-unicast'\] = 4 is false on the reply/);
  assert.deepEqual(r.results.block(11), [], 'not confirmed');
  const at = r.results.block(6)[0]!.attrs.get('rollback-at')!;
  assert.ok(r.stdout.includes(`modus run: edge1: the commit confirmed of block 6 rolls back at ${at}`), r.stdout);
  assert.match(r.stdout, /block 11 confirms it and has not run: modus run failing\.md --block 11/);
  assert.ok(dev.pendingConfirm());
  await s.sim.advanceClock(5 * 60_000 + 1000);
  assert.equal(dev.activeText(), original, 'rolled back to before the change');
});
