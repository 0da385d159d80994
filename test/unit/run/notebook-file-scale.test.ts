// Writing results costs the same at block 20 and block 2,000: the notebook is
// scanned whole once, and again only when someone else changed the file.
// (Every write rescanned it, which made long runs quadratic.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { NotebookFile, identityOf } from '../../../main/run/notebook-file.js';
import { tempDir } from '../../helpers/temp-dir.js';

const fence = '```';

test('results for 300 blocks of a 2,000-block notebook: one whole-file scan, plus one after an edit by someone else', async () => {
  const dir = tempDir('modus-scale-');
  const path = join(dir, 'nb.md');
  const parts = ['# Many blocks', ''];
  for (let i = 0; i < 2000; i++) parts.push(i % 3 === 0 ? `- step ${i}` : `Step ${i}.`, '', `${fence}sh`, `echo ${i}`, fence, '');
  await writeFile(path, parts.join('\n'));
  const file = await NotebookFile.open(path);
  const identities = file.notebook.blocks.map((b) => identityOf(b, null));
  const entry = (i: number) => [{ attrs: [['host', 'local'], ['status', 'pass']] as [string, string][], body: `out ${i}\nline two` }];
  for (let i = 0; i < 300; i++) {
    const k = (i * 7) % 2000;
    const outcome = await file.writeResults(identities[k]!, entry(k), 'replace');
    assert.deepEqual(outcome, { written: true, moved: false });
  }
  assert.equal(file.fullScans, 1, 'no write scanned the whole file again');
  // Someone else edits the file: one scan, then writes follow the edits again.
  await writeFile(path, 'Edited above.\n\n' + (await readFile(path, 'utf8')));
  for (let i = 0; i < 20; i++) await file.writeResults(identities[1999 - i]!, entry(1999 - i), 'append');
  assert.equal(file.fullScans, 2);
  // And what was written is what a fresh scan of the file finds.
  const scanned = scanNotebook(await readFile(path, 'utf8'));
  assert.equal(scanned.blocks[7]!.results[0]!.body, 'out 7\nline two');
  assert.equal(scanned.blocks[1999]!.results.length, 1);
  assert.deepEqual(JSON.parse(JSON.stringify(file.notebook.blocks)), JSON.parse(JSON.stringify(scanned.blocks)));
});

test('results that arrive while a write is under way share the next write, and each lands under its own block', async () => {
  const dir = tempDir('modus-scale-');
  const path = join(dir, 'nb.md');
  const parts = ['# Together', ''];
  for (let i = 0; i < 60; i++) parts.push(`${fence}sh`, `echo ${i}`, fence, '');
  await writeFile(path, parts.join('\n'));
  const file = await NotebookFile.open(path);
  const identities = file.notebook.blocks.map((b) => identityOf(b, null));
  const entry = (i: number) => [{ attrs: [['host', 'local'], ['status', 'pass']] as [string, string][], body: `out ${i}` }];
  const first = file.writeResults(identities[0]!, entry(0), 'replace');
  // One that ran but is no longer in the file, among those that are: it alone is refused.
  const ghost = { ...identities[5]!, index: 999, body: 'echo nobody\n' };
  const rest = identities.slice(1).map((id, i) => file.writeResults(id, entry(i + 1), 'replace'));
  const lost = file.writeResults(ghost, entry(-1), 'replace');
  const outcomes = await Promise.all([first, ...rest]);
  for (const o of outcomes) assert.equal(o.written, true);
  const refused = await lost;
  assert.equal(refused.written, false);
  assert.ok(file.writes <= 2, `60 results took ${file.writes} writes`);
  const scanned = scanNotebook(await readFile(path, 'utf8'));
  scanned.blocks.forEach((b, i) => assert.equal(b.results[0]?.body, `out ${i}`));
  assert.deepEqual(JSON.parse(JSON.stringify(file.notebook.blocks)), JSON.parse(JSON.stringify(scanned.blocks)));
});
