// Stale results through the real CLI: `modus run` stamps each results block
// with the hash of what ran, and `modus check` says which results no longer
// describe their block after the user edits it, its variables or its hosts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { modus, notebook, scratch } from '../run/helpers.js';

const fence = '```';
const SOURCE = [
  '---', 'vars:', '  who: world', '---', '',
  `${fence}sh :name greet`, 'echo hello {{who}}', fence, '',
  `${fence}sh :host local :expect "^4$"`, 'echo $((2 + 2))', fence, '',
].join('\n');

async function ranNotebook(): Promise<{ dir: string; nb: string; text: string }> {
  const dir = await scratch();
  const nb = await notebook(dir, SOURCE);
  const r = await modus(['run', nb], dir);
  assert.equal(r.code, 0, r.stderr);
  return { dir, nb, text: await readFile(nb, 'utf8') };
}

function staleLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.includes('[stale-results]'));
}

test('results just written are current: modus check has nothing to say', async () => {
  const { dir, nb, text } = await ranNotebook();
  assert.equal((text.match(/ :hash [0-9a-f]{12}\n/g) ?? []).length, 2, 'both results blocks carry the hash of what ran');
  const c = await modus(['check', nb], dir);
  assert.equal(c.code, 0, c.stdout + c.stderr);
  assert.match(c.stdout, /no problems/);
});

test('editing a block, its variable or its arguments makes exactly its results stale; the file is not touched', async () => {
  const { dir, nb, text } = await ranNotebook();
  const lines = text.split('\n');
  const secondResults = lines.findIndex((l, i) => i > lines.indexOf('echo $((2 + 2))') && l.startsWith('```results')) + 1;

  await writeFile(nb, text.replace('echo $((2 + 2))', 'echo $((2 + 3))'));
  let c = await modus(['check', nb], dir);
  assert.equal(c.code, 0, 'stale results are a warning, not an error');
  let stale = staleLines(c.stdout);
  assert.equal(stale.length, 1, c.stdout);
  assert.match(stale[0]!, new RegExp(`^${nb.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${secondResults}:1 results of block 2 on local \\(run \\d{4}-[^)]+\\) are stale: .*modus run --block 2\\)`));
  assert.match(c.stdout, /0 errors, 1 warning/);
  assert.equal(await readFile(nb, 'utf8'), text.replace('echo $((2 + 2))', 'echo $((2 + 3))'), 'check changes nothing');

  // A variable's value is part of what ran: front matter and --var.
  await writeFile(nb, text.replace('who: world', 'who: there'));
  c = await modus(['check', nb], dir);
  stale = staleLines(c.stdout);
  assert.equal(stale.length, 1, c.stdout);
  assert.match(stale[0]!, /results of block 1 on local/);
  await writeFile(nb, text);
  c = await modus(['check', nb, '--var', 'who=there'], dir);
  assert.match(staleLines(c.stdout).join('\n'), /results of block 1 on local/);
  c = await modus(['check', nb, '--var', 'who=world'], dir);
  assert.equal(staleLines(c.stdout).length, 0, 'the same value is the same command');

  // An expectation changes what the verdict means; a :name does not change what ran.
  await writeFile(nb, text.replace(':expect "^4$"', ':expect "^5$"').replace(':name greet', ':name hello'));
  c = await modus(['check', nb], dir);
  stale = staleLines(c.stdout);
  assert.equal(stale.length, 1, c.stdout);
  assert.match(stale[0]!, /results of block 2 on local/);
});

test('hosts: a block that no longer runs where its results came from, and one with a host that has none yet', async () => {
  const { dir, nb, text } = await ranNotebook();
  // Block 2 now runs on an inventory host (nothing connects during check).
  await writeFile(join(dir, 'inventory.yaml'), 'hosts:\n  r1: { address: 198.51.100.7 }\n');
  await writeFile(nb, text.replace('sh :host local :expect', 'sh :host r1 :expect'));
  const c = await modus(['check', nb], dir);
  const stale = staleLines(c.stdout);
  assert.equal(stale.length, 2, c.stdout);
  assert.match(stale.join('\n'), /block 2 has no results for r1, which it now runs on/);
  assert.match(stale.join('\n'), /results of block 2 on local are stale: the block no longer runs on local/);
});

test('running again refreshes stale results; results without a hash are not judged', async () => {
  const { dir, nb, text } = await ranNotebook();
  const edited = text.replace('echo $((2 + 2))', 'echo $((2 + 2)); true');
  await writeFile(nb, edited);
  assert.equal(staleLines((await modus(['check', nb], dir)).stdout).length, 1);
  const r = await modus(['run', nb, '--block', '2'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(staleLines((await modus(['check', nb], dir)).stdout).length, 0, 'the new results describe the block as it is');

  // Results written by hand or by an older Modus carry no hash: check does not guess.
  await writeFile(nb, edited.replace(/ :hash [0-9a-f]{12}/g, '').replace('echo hello', 'echo goodbye'));
  const c = await modus(['check', nb], dir);
  assert.equal(staleLines(c.stdout).length, 0, c.stdout);
});

test('modus export marks stale results with a badge a reader sees, and shows no hash', async () => {
  const { dir, nb, text } = await ranNotebook();
  let e = await modus(['export', nb, '--html', '-'], dir);
  assert.equal(e.code, 0, e.stderr);
  assert.doesNotMatch(e.stdout, /class="badge stale"/, 'fresh results are not stale');
  assert.doesNotMatch(e.stdout, /[0-9a-f]{12}/, 'the hash is the engine\'s, not shown');
  await writeFile(nb, text.replace('echo hello {{who}}', 'echo hello {{who}} again'));
  e = await modus(['export', nb, '--html', '-'], dir);
  assert.equal(e.code, 0, e.stderr);
  assert.equal((e.stdout.match(/class="badge stale"/g) ?? []).length, 1, 'only the edited block\'s results');
  const stale = e.stdout.indexOf('class="badge stale"');
  const code = e.stdout.indexOf('echo hello {{who}} again');
  const output = e.stdout.indexOf('hello world');
  assert.ok(code !== -1 && code < stale && stale < output, 'the badge is on the first block\'s results: after its code, before its output');
});
