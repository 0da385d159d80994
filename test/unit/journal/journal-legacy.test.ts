// Journals written before output blobs keep working: their inline outputs
// (however big a line) verify, read and stream back byte for byte, and an
// edit inside an inline output is still caught.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendJournalRecord, readJournal, readRecordOutput, verifyJournal } from '../../../main/run/journal.js';
import { ZERO, appendLegacyLine, legacyBody } from './legacy-lines.js';

async function collect(pieces: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const p of pieces) out.push(p);
  return Buffer.concat(out);
}

/** Text with everything JSON escapes, and characters on every side of a piece boundary. */
function trickyText(size: number): Buffer {
  const unit = 'plain \r\n "quoted" back\\slash \u001b[31mred\u001b[0m tab\t é€😀 \u2028 ';
  return Buffer.from(unit.repeat(Math.ceil(size / Buffer.byteLength(unit)))).subarray(0, size - (size % 3));
}

async function legacyJournal(): Promise<{ dir: string; notebook: string; path: string; text: Buffer; binary: Buffer }> {
  const dir = await mkdtemp(join(tmpdir(), 'modus-legacy-'));
  const notebook = join(dir, 'nb.md');
  await writeFile(notebook, '# nb\n');
  await mkdir(join(dir, '.modus', 'journal'), { recursive: true });
  const path = join(dir, '.modus', 'journal', 'nb.md.jsonl');
  // Cut on a whole character: the unit's characters are at most 4 bytes.
  let text = trickyText(12_000_000);
  while (!Buffer.from(text.toString('utf8')).equals(text)) text = text.subarray(0, text.length - 1);
  const binary = Buffer.alloc(9_000_001);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919) & 0xff;
  let prev = await appendLegacyLine(path, { seq: 1, prev: ZERO, outputBytes: 3, encoding: 'utf8', body: [{ text: 'ok\\n', times: 1 }] });
  // Both big lines are longer than a scan holds at once: they are checked as they stream.
  prev = await appendLegacyLine(path, { seq: 2, prev, outputBytes: text.length, encoding: 'utf8', body: [{ text: legacyBody(text, 'utf8'), times: 1 }] });
  await appendLegacyLine(path, { seq: 3, prev, outputBytes: binary.length, encoding: 'base64', body: [{ text: legacyBody(binary, 'base64'), times: 1 }] });
  return { dir, notebook, path, text, binary };
}

test('an old journal with inline outputs of many megabytes verifies, reads and streams its outputs back exactly', async () => {
  const { dir, notebook, text, binary } = await legacyJournal();
  const v = await verifyJournal(notebook);
  assert.deepEqual(v.problems, []);
  assert.equal(v.records, 3);
  const records = await readJournal(notebook, { output: false });
  assert.deepEqual(records.map((r) => [r.seq, r.outputBytes, r.outputEncoding, r.output]), [
    [1, 3, 'utf8', undefined],
    [2, text.length, 'utf8', undefined],
    [3, binary.length, 'base64', undefined],
  ]);
  assert.deepEqual(await collect(readRecordOutput(notebook, 1)), Buffer.from('ok\n'));
  assert.ok((await collect(readRecordOutput(notebook, 2))).equals(text));
  assert.ok((await collect(readRecordOutput(notebook, 3))).equals(binary));
  // New records chain onto the old ones, and go to blobs.
  await appendJournalRecord(notebook, { block: 0, lang: 'sh', host: 'local', start: new Date(), end: new Date(), command: 'x', output: text, exitCode: 0, status: 'pass' });
  const after = await verifyJournal(notebook);
  assert.deepEqual([after.ok, after.records], [true, 4]);
  assert.match((await readJournal(notebook, { output: false }))[3]!.outputBlob ?? '', /^[0-9a-f]{64}$/);
  await rm(dir, { recursive: true });
});

test('an edit inside an old inline output is caught: a changed character, or one that breaks the JSON string', async () => {
  const { dir, notebook, path } = await legacyJournal();
  const original = await readFile(path);
  const middle = original.indexOf('"quoted\\" back', 6_000_000);
  const changed = Buffer.from(original);
  changed[middle + 1] = 'Q'.charCodeAt(0);
  await writeFile(path, changed);
  let v = await verifyJournal(notebook);
  assert.deepEqual(v.problems.map((p) => p.line), [2]);
  assert.match(v.problems[0]!.message, /record 2 was changed after it was written/);

  const broken = Buffer.from(original);
  broken[middle - 1] = '"'.charCodeAt(0); // an unescaped quote: the line is no longer a record
  await writeFile(path, broken);
  v = await verifyJournal(notebook);
  assert.equal(v.records, 2);
  assert.match(v.problems[0]!.message, /^not a journal record/);
  assert.equal(v.problems[0]!.line, 2);
  await rm(dir, { recursive: true });
});
