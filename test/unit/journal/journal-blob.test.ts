// Outputs bigger than a journal line: a compressed blob named by its sha256,
// a small record naming it, the hash chain covering the reference, and
// verify reading the blob back (a changed, cut or missing blob is a problem).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { appendJournalRecord, decodeOutput, journalPath, readJournal, readRecordOutput, verifyJournal } from '../../../main/run/journal.js';
import type { JournalEntry } from '../../../main/run/journal.js';
import { INLINE_OUTPUT_BYTES, RawOutputSpool } from '../../../main/run/raw-output.js';
import { REDACTION_MASK } from '../../../main/run/redact.js';

async function scratch(): Promise<{ dir: string; notebook: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'modus-blob-'));
  const notebook = join(dir, 'change.md');
  await writeFile(notebook, '# change\n');
  return { dir, notebook };
}

function entry(n: number, output: JournalEntry['output']): JournalEntry {
  const at = new Date(Date.UTC(2026, 0, 1, 10, 0, n));
  return { block: n, lang: 'sh', host: 'local', start: at, end: at, command: `step ${n}`, output, exitCode: 0, status: 'pass' };
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function collect(pieces: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const p of pieces) out.push(p);
  return Buffer.concat(out);
}

/** 2 MB of lines as a pty sends them, with a few multi-byte characters. */
function bigText(): Buffer {
  return Buffer.from(Array.from({ length: 40_000 }, (_, i) => `line ${i} é ${'-'.repeat(i % 40)}\r\n`).join(''));
}

test('output bigger than a line goes to a blob named by its sha256; small output stays inline', async () => {
  const { dir, notebook } = await scratch();
  const big = bigText();
  const small = Buffer.from('x'.repeat(INLINE_OUTPUT_BYTES));
  await appendJournalRecord(notebook, entry(0, big));
  await appendJournalRecord(notebook, entry(1, small));
  const lines = (await readFile(await journalPath(notebook), 'utf8')).split('\n');
  assert.ok(lines[0]!.length < 1024, 'the big record is small');
  assert.ok(!lines[0]!.includes('"output":'));
  assert.ok(lines[1]!.includes(`"output":"${small.toString()}"`), 'up to INLINE_OUTPUT_BYTES stays in the line');

  const [first, second] = await readJournal(notebook, { output: false });
  assert.equal(first!.outputBlob, sha256(big));
  assert.equal(first!.outputBytes, big.length);
  assert.equal(first!.outputEncoding, 'utf8');
  assert.equal(second!.outputBlob, undefined);
  const blob = join(dir, '.modus', 'journal', 'blobs', `${sha256(big)}.gz`);
  assert.deepEqual(gunzipSync(await readFile(blob)), big, 'the blob is the gzip of exactly the output');
  assert.equal((await stat(blob)).mode & 0o777, 0o600);
  assert.equal((await stat(join(dir, '.modus', 'journal', 'blobs'))).mode & 0o777, 0o700);

  assert.deepEqual(await collect(readRecordOutput(notebook, 1)), big);
  assert.deepEqual(await collect(readRecordOutput(notebook, 2)), small);
  const full = await readJournal(notebook);
  assert.deepEqual(decodeOutput(full[0]!), big, 'readJournal with output loads the blob');
  assert.deepEqual(await verifyJournal(notebook).then((v) => [v.ok, v.records]), [true, 2]);
  await rm(dir, { recursive: true });
});

test('verify: a changed, cut or missing blob is a problem of the record that names it; equal outputs share one blob', async () => {
  const { dir, notebook } = await scratch();
  const big = bigText();
  await appendJournalRecord(notebook, entry(0, big));
  await appendJournalRecord(notebook, entry(1, 'small\n'));
  await appendJournalRecord(notebook, entry(2, big));
  const blobs = join(dir, '.modus', 'journal', 'blobs');
  assert.deepEqual(await readdir(blobs), [`${sha256(big)}.gz`]);
  const blob = join(blobs, `${sha256(big)}.gz`);
  const original = await readFile(blob);

  const other = Buffer.from(big);
  other[1000] = 0x21;
  await writeFile(blob, gzipSync(other));
  let v = await verifyJournal(notebook);
  assert.equal(v.ok, false);
  assert.deepEqual(v.problems.map((p) => p.line), [1, 3]);
  assert.match(v.problems[0]!.message, /^record 1: its output blob blobs\/[0-9a-f]{64}\.gz was changed: it no longer holds the output this record names \(same size, other bytes\); restore \.modus\/journal\/blobs\/ from a backup/);

  await writeFile(blob, original.subarray(0, original.length - 100));
  v = await verifyJournal(notebook);
  assert.match(v.problems[0]!.message, /^record 1: its output blob blobs\/[0-9a-f]{64}\.gz is damaged \(.+\): it was changed or cut short/);

  await rm(blob);
  v = await verifyJournal(notebook);
  assert.deepEqual(v.problems.map((p) => p.line), [1, 3]);
  assert.match(v.problems[1]!.message, /^record 3: its output blob blobs\/[0-9a-f]{64}\.gz is missing/);
  assert.equal(v.records, 3, 'the records themselves are intact');
  await assert.rejects(collect(readRecordOutput(notebook, 1)), /record 1's output blob blobs\/[0-9a-f]{64}\.gz is missing/);
  const [unloaded] = await readJournal(notebook);
  assert.throws(() => decodeOutput(unloaded!), /journal record 1 has no output here: its blob blobs\/[0-9a-f]{64}\.gz could not be read/);

  await writeFile(blob, original);
  assert.equal((await verifyJournal(notebook)).ok, true, 'a restored blob mends it');
  await rm(dir, { recursive: true });
});

test('verify: editing the blob reference in a record breaks its hash', async () => {
  const { dir, notebook } = await scratch();
  const big = bigText();
  await appendJournalRecord(notebook, entry(0, big));
  const path = await journalPath(notebook);
  const other = Buffer.concat([big, Buffer.from('more\r\n')]);
  await writeFile(join(dir, '.modus', 'journal', 'blobs', `${sha256(other)}.gz`), gzipSync(other));
  await writeFile(path, (await readFile(path, 'utf8')).replace(sha256(big), sha256(other)).replace(`"outputBytes":${big.length}`, `"outputBytes":${other.length}`));
  const v = await verifyJournal(notebook);
  assert.deepEqual(v.problems.map((p) => p.line), [1]);
  assert.match(v.problems[0]!.message, /record 1 was changed after it was written/);
  await rm(dir, { recursive: true });
});

test('a spooled run output is adopted as the blob: hashed and compressed while it streams, masked with :redact, the spool removed', async () => {
  const { dir, notebook } = await scratch();
  const spool = await RawOutputSpool.create([/s3cr3t/]);
  const line = Buffer.from('token=s3cr3t and more text on the line\r\n');
  for (let i = 0; i < 100_000; i++) {
    // Cut lines anywhere, as a pty does: a secret split between two writes is still masked.
    const cut = i % line.length;
    await spool.write(line.subarray(0, cut));
    await spool.write(line.subarray(cut));
  }
  const raw = await spool.finish();
  const expected = Buffer.from(line.toString().replace('s3cr3t', REDACTION_MASK).repeat(100_000));
  assert.equal(raw.bytes, expected.length);
  assert.equal(raw.sha256, sha256(expected));
  assert.equal(raw.inline, null);
  const spoolFile = raw.gzipFile!;
  assert.ok((await stat(spoolFile)).size < expected.length / 20);
  await appendJournalRecord(notebook, entry(0, raw));
  await assert.rejects(stat(spoolFile), /ENOENT/, 'the journal took the spool');
  const [record] = await readJournal(notebook, { output: false });
  assert.equal(record!.outputBlob, sha256(expected));
  const stored = await collect(readRecordOutput(notebook, 1));
  assert.deepEqual(stored, expected);
  assert.ok(!stored.includes('s3cr3t'));
  assert.equal((await verifyJournal(notebook)).ok, true);
  await rm(dir, { recursive: true });
});

test('a spool the journal never takes is removed by dispose; a failed append still disposes it', async () => {
  const { dir, notebook } = await scratch();
  const spool = await RawOutputSpool.create([]);
  await spool.write(Buffer.alloc(INLINE_OUTPUT_BYTES * 4, 0x61));
  const raw = await spool.finish();
  await assert.rejects(appendJournalRecord(notebook, { ...entry(0, raw), status: 'nope' as never }), /status must be one of/);
  await assert.rejects(stat(raw.gzipFile!), /ENOENT/);
  assert.deepEqual(await readJournal(notebook), []);
  await rm(dir, { recursive: true });
});

test('a record whose output was lost still records the run', async () => {
  const { dir, notebook } = await scratch();
  const lost = { bytes: 12, sha256: '0'.repeat(64), utf8: true, inline: null, gzipFile: null, lost: 'ENOSPC', dispose: async () => undefined };
  await appendJournalRecord(notebook, entry(0, lost));
  const [record] = await readJournal(notebook, { output: false });
  assert.equal(record!.outputLost, 'ENOSPC');
  assert.equal(record!.outputBytes, 12);
  assert.equal((await verifyJournal(notebook)).ok, true);
  await assert.rejects(collect(readRecordOutput(notebook, 1)), /record 1 kept no output: ENOSPC/);
  await rm(dir, { recursive: true });
});

test('a blob record with an "output" key in its details still parses', async () => {
  const { dir, notebook } = await scratch();
  await appendJournalRecord(notebook, { ...entry(0, bigText()), details: { output: 'junos says "ok"' } });
  const [record] = await readJournal(notebook, { output: false });
  assert.deepEqual(record!.details, { output: 'junos says "ok"' });
  assert.equal((await verifyJournal(notebook)).ok, true);
  await truncate(await journalPath(notebook), 10);
  assert.equal((await verifyJournal(notebook)).ok, false);
  await rm(dir, { recursive: true });
});

test('a spool that cannot be written loses only the output: the run is still journaled, saying why', async () => {
  const { dir, notebook } = await scratch();
  // The scratch root (where spools go) cannot be made: its parent is a file.
  const saved = process.env.XDG_RUNTIME_DIR;
  const inTheWay = join(dir, 'a-file');
  await writeFile(inTheWay, '');
  process.env.XDG_RUNTIME_DIR = inTheWay;
  let raw;
  try {
    const spool = await RawOutputSpool.create([]);
    await spool.write(Buffer.alloc(INLINE_OUTPUT_BYTES * 8, 0x61));
    raw = await spool.finish();
  } finally {
    if (saved === undefined) delete process.env.XDG_RUNTIME_DIR;
    else process.env.XDG_RUNTIME_DIR = saved;
  }
  assert.match(raw.lost ?? '', /^the output could not be spooled for the journal: ENOTDIR/);
  await appendJournalRecord(notebook, entry(0, raw));
  const [record] = await readJournal(notebook, { output: false });
  assert.equal(record!.outputBytes, INLINE_OUTPUT_BYTES * 8);
  assert.match(record!.outputLost ?? '', /ENOTDIR/);
  assert.equal((await verifyJournal(notebook)).ok, true);
  await rm(dir, { recursive: true });
});
