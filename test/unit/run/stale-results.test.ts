// What makes results stale (run/ran-hash.ts, run/stale-results.ts), on
// notebooks whose results carry the hash the engine would have written.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { planRun } from '../../../main/run/plan.js';
import { ranHash } from '../../../main/run/ran-hash.js';
import { blockStaleness, staleResultMessages } from '../../../main/run/stale-results.js';

const fence = '```';

/** `nowSource` followed by the results the engine would have written for `ranSource` (what ran), one per host. */
function ranThen(ranSource: string, nowSource: string): string {
  const nb = scanNotebook(ranSource);
  const p = planRun(nb, { file: 'nb.md' }).blocks[0]!;
  const specs = p.hosts.length > 0 ? p.hosts : [undefined];
  const results = specs.map((h) => `${fence}results :host ${h?.label ?? 'local'} :at 2026-01-01T00:00:00Z :took 1ms :exit 0 :status pass :hash ${ranHash({ lang: p.block.lang, script: p.script, args: p.args }, h)}\nout\n${fence}\n`);
  return `${nowSource}\n${results.join('\n')}`;
}

function staleOf(text: string) {
  const nb = scanNotebook(text);
  return blockStaleness(planRun(nb, { file: 'nb.md' }).blocks[0]!);
}

test('the hash follows what ran: the command, each variable value, the arguments that matter', () => {
  const src = `---\nvars:\n  a: "1"\n---\n\n${fence}sh :expect "x" :dir /tmp :name n\necho {{a}}\n${fence}\n`;
  assert.deepEqual(staleOf(ranThen(src, src)), []);
  for (const edited of [
    src.replace('echo {{a}}', 'echo {{a}} '),
    src.replace('a: "1"', 'a: "2"'),
    src.replace(':expect "x"', ':expect "y"'),
    src.replace(':dir /tmp', ':dir /var'),
    src.replace(':dir /tmp', ':dir /tmp :timeout 5s'),
    src.replace(':dir /tmp', ':dir /tmp :session s'),
    src.replace(':dir /tmp', ':dir /tmp :redact secret'),
    src.replace(`${fence}sh`, `${fence}bash`),
  ]) {
    const s = staleOf(ranThen(src, edited));
    assert.equal(s.length, 1, edited);
    assert.equal(s[0]!.kind, 'changed');
  }
  // What does not change what ran or what its verdict means.
  for (const same of [src.replace(':name n', ':name m'), src.replace(':dir /tmp', ':dir /tmp :parallel 3 :results append :confirm'), src.replace('a: "1"', 'a: "1"\n  unused: z')]) {
    assert.deepEqual(staleOf(ranThen(src, same)), [], same);
  }
  // A variable written as {{a}} or as its value is the same command.
  assert.deepEqual(staleOf(ranThen(src, src.replace('echo {{a}}', 'echo 1'))), []);
});

test('no :host and :host local are the same place; a host dropped or added is told apart', () => {
  const plain = `${fence}sh\nuname\n${fence}\n`;
  assert.deepEqual(staleOf(ranThen(plain, plain.replace('sh', 'sh :host local'))), []);
  const two = `${fence}sh :host r1,r2\nuname\n${fence}\n`;
  assert.deepEqual(staleOf(ranThen(two, two)), []);
  const dropped = staleOf(ranThen(two, two.replace('r1,r2', 'r2')));
  assert.deepEqual(dropped.map((s) => [s.kind, s.host]), [['host-dropped', 'r1']]);
  const added = staleOf(ranThen(two, two.replace('r1,r2', 'r1,r2,r3')));
  assert.deepEqual(added.map((s) => [s.kind, s.host]), [['host-missing', 'r3']]);
});

test('with :results append the last results of a host count; results without a hash are not judged', () => {
  const src = `${fence}sh :results append\necho 1\n${fence}\n`;
  const old = `${fence}results :host local :at 2025-01-01T00:00:00Z :took 1ms :exit 0 :status pass :hash 000000000000\nold\n${fence}\n`;
  const current = ranThen(src, src);
  const withHistory = current.replace(`${fence}\n\n${fence}results`, `${fence}\n\n${old}\n${fence}results`);
  assert.notEqual(withHistory, current);
  assert.deepEqual(staleOf(withHistory), [], 'an earlier run kept by append is history, not a stale result');
  assert.deepEqual(staleOf(`${src}\n${fence}results :host local :status pass\nhand-written\n${fence}\n`), []);
});

test('messages point at the results block; a block with an error is not judged', () => {
  const src = `${fence}sh\necho {{x}}\n${fence}\n`;
  const ran = ranThen(src.replace('{{x}}', 'x'), src.replace('{{x}}', 'y'));
  const nb = scanNotebook(ran);
  const blocks = planRun(nb, { file: 'nb.md' }).blocks;
  const m = staleResultMessages(nb, blocks, new Set(), 'nb.md');
  assert.equal(m.length, 1);
  assert.equal(m[0]!.line, 5, 'the results fence is on line 5');
  assert.equal(m[0]!.severity, 'warning');
  assert.match(m[0]!.reason, /^results of block 1 on local \(run 2026-01-01T00:00:00Z\) are stale/);
  assert.deepEqual(staleResultMessages(nb, blocks, new Set([2]), 'nb.md'), [], 'an error on the block\'s line: what would run is unknown');
});
