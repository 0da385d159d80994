import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile, stat, rm } from 'node:fs/promises';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import {
  appendJournalRecord,
  decodeOutput,
  journalPath,
  readJournal,
  verifyJournal,
  ZERO_HASH,
} from '../../../main/run/journal.js';
import type { JournalEntry } from '../../../main/run/journal.js';

async function scratch(): Promise<{ dir: string; notebook: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'modus-journal-'));
  const notebook = join(dir, 'change.md');
  await writeFile(notebook, '# change\n');
  return { dir, notebook };
}

function entry(n: number, extra: Partial<JournalEntry> = {}): JournalEntry {
  return {
    block: n,
    name: `step-${n}`,
    lang: 'sh',
    host: 'local',
    start: new Date(Date.UTC(2026, 0, 1, 10, 0, n)),
    end: new Date(Date.UTC(2026, 0, 1, 10, 0, n, 250)),
    command: `echo step ${n}`,
    output: `step ${n}\n`,
    exitCode: 0,
    status: 'pass',
    ...extra,
  };
}

async function journalLines(notebook: string): Promise<string[]> {
  const text = await readFile(await journalPath(notebook), 'utf8');
  return text.split('\n');
}

async function writeJournalLines(notebook: string, lines: string[]): Promise<void> {
  await writeFile(await journalPath(notebook), lines.join('\n'));
}

async function fiveRecords(): Promise<{ dir: string; notebook: string; lines: string[] }> {
  const s = await scratch();
  for (let i = 0; i < 5; i += 1) await appendJournalRecord(s.notebook, entry(i));
  const lines = await journalLines(s.notebook);
  assert.equal(lines.length, 6, 'five records and the empty string after the last \\n');
  return { ...s, lines };
}

test('appends chain records by the hash of the previous line and verify accepts them', async () => {
  const { dir, notebook } = await scratch();
  const first = await appendJournalRecord(notebook, entry(0, { user: 'alice', expectations: [{ pattern: 'step', matched: true }] }));
  const second = await appendJournalRecord(notebook, entry(1, { status: 'fail', exitCode: 3, message: 'exit 3, expected 0' }));
  assert.equal(first.seq, 1);
  assert.equal(first.prev, ZERO_HASH);
  assert.equal(second.seq, 2);
  const path = await journalPath(notebook);
  assert.equal(path, join(dir, '.modus', 'journal', 'change.md.jsonl'));
  const raw = await readFile(path);
  const firstLine = raw.subarray(0, raw.indexOf(0x0a));
  const { createHash } = await import('node:crypto');
  assert.equal(second.prev, createHash('sha256').update(firstLine).digest('hex'));

  const records = await readJournal(notebook);
  assert.equal(records.length, 2);
  assert.equal(records[0]!.user, 'alice');
  assert.equal(records[0]!.notebook, 'change.md');
  assert.equal(records[0]!.name, 'step-0');
  assert.equal(records[0]!.tookMs, 250);
  assert.deepEqual(records[0]!.expectations, [{ pattern: 'step', matched: true }]);
  assert.equal(records[1]!.status, 'fail');
  assert.equal(records[1]!.exitCode, 3);
  assert.equal(records[1]!.message, 'exit 3, expected 0');
  assert.equal(records[1]!.output, 'step 1\n');
  assert.equal(records[1]!.start, '2026-01-01T10:00:01.000Z');

  const result = await verifyJournal(notebook);
  assert.deepEqual(result.problems, []);
  assert.equal(result.ok, true);
  assert.equal(result.records, 2);

  assert.equal((await stat(join(dir, '.modus'))).mode & 0o777, 0o700);
  assert.equal((await stat(join(dir, '.modus', 'journal'))).mode & 0o777, 0o700);
  assert.equal((await stat(path)).mode & 0o777, 0o600);
  await rm(dir, { recursive: true });
});

test('keeps raw output exactly: text as text, invalid UTF-8 as base64', async () => {
  const { dir, notebook } = await scratch();
  const tricky = 'fences ``` ~~~ and NUL \u0000, ANSI \u001b[31mred\u001b[0m, CRLF\r\n, unicode é😀\u2028\n';
  await appendJournalRecord(notebook, entry(0, { output: tricky }));
  const binary = Buffer.from([0x66, 0x6f, 0xff, 0xfe, 0x00, 0xc3, 0x28, 0x0a]);
  await appendJournalRecord(notebook, entry(1, { output: binary }));
  const records = await readJournal(notebook);
  assert.equal(records[0]!.outputEncoding, 'utf8');
  assert.equal(records[0]!.output, tricky);
  assert.equal(records[0]!.outputBytes, Buffer.byteLength(tricky));
  assert.equal(records[1]!.outputEncoding, 'base64');
  assert.deepEqual(decodeOutput(records[1]!), binary);
  const lines = await journalLines(notebook);
  assert.equal(lines.length, 3, 'every record is exactly one line');
  assert.ok((await verifyJournal(notebook)).ok);
  await rm(dir, { recursive: true });
});

test('streams multi-megabyte outputs across piece boundaries without corrupting characters', async () => {
  const { dir, notebook } = await scratch();
  // Multi-byte characters land on every possible offset of the 1 MiB pieces.
  const text = Buffer.from('aé😀€\n"\\'.repeat(400_000));
  const binary = Buffer.alloc(3_000_001);
  for (let i = 0; i < binary.length; i += 1) binary[i] = (i * 7919) & 0xff;
  binary[0] = 0xff;
  await appendJournalRecord(notebook, entry(0, { output: text }));
  await appendJournalRecord(notebook, entry(1, { output: binary }));
  await appendJournalRecord(notebook, entry(2));
  const records = await readJournal(notebook);
  assert.deepEqual(decodeOutput(records[0]!), text);
  assert.equal(records[1]!.outputEncoding, 'base64');
  assert.deepEqual(decodeOutput(records[1]!), binary);
  const verification = await verifyJournal(notebook);
  assert.deepEqual(verification.problems, []);
  const timeline = await readJournal(notebook, { output: false });
  assert.equal(timeline[0]!.output, undefined);
  assert.equal(timeline[0]!.outputBytes, text.length);
  await rm(dir, { recursive: true });
});

test('concurrent appends within one process are serialised and all kept', async () => {
  const { dir, notebook } = await scratch();
  const written = await Promise.all(Array.from({ length: 25 }, (_, i) => appendJournalRecord(notebook, entry(i))));
  assert.deepEqual(written.map((r) => r.seq).sort((a, b) => a - b), Array.from({ length: 25 }, (_, i) => i + 1));
  const result = await verifyJournal(notebook);
  assert.deepEqual(result.problems, []);
  assert.equal(result.records, 25);
  await rm(dir, { recursive: true });
});

test('concurrent appends from two processes lose nothing and keep the chain intact', async () => {
  const { dir, notebook } = await scratch();
  const moduleUrl = new URL('../../../main/run/journal.js', import.meta.url).href;
  const script = join(dir, 'writer.mjs');
  await writeFile(
    script,
    `const { appendJournalRecord } = await import(${JSON.stringify(moduleUrl)});
const [notebook, who] = process.argv.slice(2);
for (let i = 0; i < 40; i += 1) {
  await appendJournalRecord(notebook, { block: i, lang: 'sh', host: who, start: new Date(), end: new Date(),
    command: 'echo ' + who, output: (who + ' ' + i + '\\n').repeat(i * 50), exitCode: 0, status: 'pass' });
}
`,
  );
  const runWriter = (who: string) =>
    new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [script, notebook, who], { stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', reject);
      child.on('exit', (code) => resolve(code ?? -1));
    });
  const codes = await Promise.all([runWriter('alpha'), runWriter('beta')]);
  assert.deepEqual(codes, [0, 0]);
  const result = await verifyJournal(notebook);
  assert.deepEqual(result.problems, []);
  assert.equal(result.records, 80);
  const records = await readJournal(notebook, { output: false });
  assert.equal(records.filter((r) => r.host === 'alpha').length, 40);
  assert.equal(records.filter((r) => r.host === 'beta').length, 40);
  assert.deepEqual(records.map((r) => r.seq), Array.from({ length: 80 }, (_, i) => i + 1));
  await rm(dir, { recursive: true });
});

test('a lock left by a dead process is broken; a live one is waited for', async () => {
  const { dir, notebook } = await scratch();
  await appendJournalRecord(notebook, entry(0));
  const lockPath = `${await journalPath(notebook)}.lock`;
  // A pid that cannot be alive: beyond the kernel's pid_max.
  await writeFile(lockPath, `99999999 ${hostname()} ${Date.now()}\n`);
  await appendJournalRecord(notebook, entry(1));
  await assert.rejects(stat(lockPath), /ENOENT/);
  assert.equal((await verifyJournal(notebook)).records, 2);
  await rm(dir, { recursive: true });
});

test('verify: an edited record is reported at its line', async () => {
  const { dir, notebook, lines } = await fiveRecords();
  lines[1] = lines[1]!.replace('step 1\\n', 'step X\\n');
  await writeJournalLines(notebook, lines);
  const result = await verifyJournal(notebook);
  assert.equal(result.ok, false);
  assert.equal(result.problems.length, 1);
  assert.equal(result.problems[0]!.line, 2);
  assert.match(result.problems[0]!.message, /record 2 was changed after it was written/);
  assert.match(result.problems[0]!.message, /restore the journal from a backup/);
  await rm(dir, { recursive: true });
});

test('verify: an edit of the newest record is caught by its own hash', async () => {
  const { dir, notebook, lines } = await fiveRecords();
  lines[4] = lines[4]!.replace('"status":"pass"', '"status":"fail"');
  await writeJournalLines(notebook, lines);
  const result = await verifyJournal(notebook);
  assert.deepEqual(result.problems.map((p) => p.line), [5]);
  assert.match(result.problems[0]!.message, /record 5 was changed/);
  await rm(dir, { recursive: true });
});

test('verify: a record edited with its own hash recomputed is caught by the next record', async () => {
  const { dir, notebook, lines } = await fiveRecords();
  const { createHash } = await import('node:crypto');
  const edited = lines[2]!.replace('step 2\\n', 'all good\\n');
  const prefix = edited.slice(0, edited.lastIndexOf(',"hash":'));
  lines[2] = `${prefix},"hash":"${createHash('sha256').update(prefix).digest('hex')}"}`;
  await writeJournalLines(notebook, lines);
  const result = await verifyJournal(notebook);
  assert.deepEqual(result.problems.map((p) => p.line), [4]);
  assert.match(result.problems[0]!.message, /line 3 is not the record this one was chained to/);
  await rm(dir, { recursive: true });
});

test('verify: a deleted record is reported where the gap is', async () => {
  const { dir, notebook, lines } = await fiveRecords();
  lines.splice(2, 1);
  await writeJournalLines(notebook, lines);
  const result = await verifyJournal(notebook);
  assert.equal(result.records, 4);
  assert.deepEqual(result.problems.map((p) => p.line), [3]);
  assert.match(result.problems[0]!.message, /1 record missing before this line \(record 3 deleted\)/);
  await rm(dir, { recursive: true });
});

test('verify: deleting the first records is reported on line 1', async () => {
  const { dir, notebook, lines } = await fiveRecords();
  lines.splice(0, 2);
  await writeJournalLines(notebook, lines);
  const result = await verifyJournal(notebook);
  assert.deepEqual(result.problems.map((p) => p.line), [1]);
  assert.match(result.problems[0]!.message, /2 records missing before this line \(records 1–2 deleted\)/);
  await rm(dir, { recursive: true });
});

test('verify: reordered records are reported as out of order', async () => {
  const { dir, notebook, lines } = await fiveRecords();
  [lines[2], lines[3]] = [lines[3]!, lines[2]!];
  await writeJournalLines(notebook, lines);
  const result = await verifyJournal(notebook);
  assert.equal(result.ok, false);
  assert.deepEqual(result.problems.map((p) => p.line), [3, 4, 5]);
  assert.match(result.problems[0]!.message, /record 4 is out of order: it was written after line 4, which now comes later/);
  assert.match(result.problems[1]!.message, /record 3 is out of order: it was written right after line 2, not after line 3/);
  await rm(dir, { recursive: true });
});

test('verify: a truncated last line is reported, and the next append starts on its own line', async () => {
  const { dir, notebook, lines } = await fiveRecords();
  const path = await journalPath(notebook);
  const full = await readFile(path);
  await writeFile(path, full.subarray(0, full.length - 40));
  let result = await verifyJournal(notebook);
  assert.deepEqual(result.problems.map((p) => p.line), [5]);
  assert.match(result.problems[0]!.message, /the last line is cut short \(no line ending\): a write was interrupted/);

  const appended = await appendJournalRecord(notebook, entry(9));
  assert.equal(appended.seq, 6);
  result = await verifyJournal(notebook);
  assert.equal(result.records, 5);
  assert.deepEqual(result.problems.map((p) => p.line), [5], 'only the damaged line; the new record chains onto it');
  assert.match(result.problems[0]!.message, /not a journal record/);
  const after = await readFile(path, 'utf8');
  assert.ok(after.startsWith(lines.slice(0, 4).join('\n')), 'earlier records untouched');
  await rm(dir, { recursive: true });
});

test('verify: a line that is not JSON is reported with its number', async () => {
  const { dir, notebook, lines } = await fiveRecords();
  lines.splice(1, 0, 'hello, I am not a record');
  await writeJournalLines(notebook, lines);
  const result = await verifyJournal(notebook);
  // Line 2 is foreign; line 3 (record 2) no longer follows record 1 directly.
  assert.equal(result.problems[0]!.line, 2);
  assert.match(result.problems[0]!.message, /not a journal record \(not valid JSON/);
  assert.ok(result.problems.every((p) => p.line <= 3));
  await rm(dir, { recursive: true });
});

test('verify: a missing journal says so', async () => {
  const { dir, notebook } = await scratch();
  const result = await verifyJournal(notebook);
  assert.equal(result.ok, false);
  assert.equal(result.missing, true);
  assert.match(result.problems[0]!.message, /no journal at .*change\.md\.jsonl: the notebook has not been run here yet/);
  await rm(dir, { recursive: true });
});

test('rejects malformed entries with a clear message and writes nothing', async () => {
  const { dir, notebook } = await scratch();
  await assert.rejects(appendJournalRecord(notebook, entry(0, { status: 'ok' as never })), /status must be one of pass, fail, error, timeout, cancelled, got ok/);
  await assert.rejects(appendJournalRecord(notebook, entry(0, { start: 'yesterday' })), /start is not a valid time: yesterday/);
  assert.deepEqual(await readJournal(notebook), []);
  await rm(dir, { recursive: true });
});
