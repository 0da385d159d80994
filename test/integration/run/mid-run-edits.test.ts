// Edits that renumber blocks while a run goes on: a block inserted above,
// the running block deleted, blocks that have the same text. Every later,
// unchanged block still gets its own results; a block that cannot be told
// apart or was edited gets none, with a message, and its results stay in the
// journal. The edits are made by the running block itself (python3 rewriting
// the file), so they happen at a known moment on any machine.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { journalLines, modus, notebook, scratch } from './helpers.js';

const fence = '```';

/** A python3 block that rewrites the notebook: `edit` are Python lines changing the text `s`; then it prints `says`. */
function editingBlock(edit: string[], says: string, header = ''): string {
  return [`${fence}python3${header}`, "p = 'nb.md'", 's = open(p).read()', ...edit, "open(p, 'w').write(s)", `print('${says}')`, fence, ''].join('\n');
}

/** Python lines: where this python3 block starts and ends in `s` (its closing fence line included). */
const THIS_BLOCK = ["start = s.index('```python3')", "end = s.index('\\n```\\n', start) + 5"];

function shBlock(says: string, header = ''): string {
  return [`${fence}sh${header}`, `echo ${says}`, fence, ''].join('\n');
}

/** Each code block's language and body start, with its results bodies. */
async function layout(path: string): Promise<string[]> {
  return scanNotebook(await readFile(path, 'utf8')).blocks.map((b) => `${b.body.split('\n')[0]} => ${b.results.map((r) => r.body).join('|') || '(none)'}`);
}

test('a block inserted above during the run: later unchanged blocks still get their own results', async () => {
  const dir = await scratch();
  const inserted = `${fence}sh\\necho inserted, never run\\n${fence}\\n\\n`;
  const nb = await notebook(dir, ['# Procedure', '', editingBlock([`s = '${inserted}' + s`], 'inserted above'), shBlock('second'), shBlock('third')].join('\n'));
  const r = await modus(['run', nb], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await layout(nb), [
    'echo inserted, never run => (none)',
    "p = 'nb.md' => inserted above",
    'echo second => second',
    'echo third => third',
  ]);
});

test('the running block deleted: message, the others right, its result in the journal', async () => {
  const dir = await scratch();
  const victim = editingBlock([...THIS_BLOCK, 's = s[:start] + s[end:]'], 'deleted');
  const nb = await notebook(dir, [shBlock('first'), victim, shBlock('third'), shBlock('fourth')].join('\n'));
  const r = await modus(['run', nb, '--keep-going'], dir);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /block 2 is no longer in .*nb\.md \(deleted or edited while it ran\); its results were not written; the results are kept in the journal/);
  assert.deepEqual(await layout(nb), ['echo first => first', 'echo third => third', 'echo fourth => fourth']);
  assert.ok((await journalLines(dir)).some((j) => j.block === 1 && j.output === 'deleted\r\n'));
});

test('blocks with the same text keep their own results when a block is inserted above them', async () => {
  const dir = await scratch();
  const inserted = `${fence}sh\\necho new\\n${fence}\\n\\n`;
  const nb = await notebook(dir, [shBlock('same'), editingBlock([`s = '${inserted}' + s`], 'inserted'), shBlock('same'), shBlock('same')].join('\n'));
  const r = await modus(['run', nb], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await layout(nb), ['echo new => (none)', 'echo same => same', "p = 'nb.md' => inserted", 'echo same => same', 'echo same => same']);
  // Exactly one results block under each copy: none got two, none was skipped.
  const text = await readFile(nb, 'utf8');
  assert.equal(text.match(/```results/g)?.length, 4);
});

test('a block duplicated next to itself while it runs: not guessing which copy ran', async () => {
  const dir = await scratch();
  // The block copies itself right below itself; both copies then have the same text and each other as neighbour.
  const copy = editingBlock([...THIS_BLOCK, "s = s[:end] + '\\n' + s[start:end] + s[end:]"], 'copied');
  const nb = await notebook(dir, [shBlock('first'), copy, shBlock('last')].join('\n'));
  const r = await modus(['run', nb, '--block', '2'], dir);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /block 2's text now appears 2 times in .*nb\.md and nothing tells which copy ran; not guessing; its results were not written/);
  assert.doesNotMatch(await readFile(nb, 'utf8'), /```results/);
});

test('a named block edited while it ran gets no results: they are not the edited block\'s', async () => {
  const dir = await scratch();
  const nb = await notebook(dir, [editingBlock([`s = s.replace("print('v1')", "print('v2')")`], 'v1', ' :name probe'), shBlock('after')].join('\n'));
  const r = await modus(['run', nb, '--keep-going'], dir);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /block 1 \(probe\) was edited in .*nb\.md while it ran, so these results are not the edited block's; its results were not written/);
  assert.deepEqual(await layout(nb), ["p = 'nb.md' => (none)", 'echo after => after']);
});
