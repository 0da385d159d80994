// Big output in bounded memory, measured on the real CLI: the peak RSS
// (VmHWM, read from /proc as each process exits) of `modus run` for 250 MB of
// output, of `modus journal verify`, `show --output` and `export` on its
// journal; the record stays small with the output in a compressed blob, and
// a changed or missing blob is a problem verify reports. Binary output makes
// no noise on stderr. The bounds are generous and independent of speed: the
// code before blobs held the whole output (and more) in memory.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { HEAD_LINES, TAIL_LINES, omittedLine } from '../../../main/run/capture.js';
import { readJournal } from '../../../main/run/journal.js';
import { ZERO, appendLegacyLine } from '../../unit/journal/legacy-lines.js';
import { MODUS, notebook, resultsBodies, scratch } from './helpers.js';

const LINE = 'x'.repeat(84);
const BYTES = 250_000_000;
const RUN_RSS_LIMIT_MB = 200;
const READ_RSS_LIMIT_MB = 150;

/** Makes the child print its VmHWM (peak RSS, kB) from /proc as it exits. */
const REPORT_PEAK =
  'data:text/javascript,import{readFileSync}from"node:fs";process.on("exit",()=>process.stderr.write("vmhwm="+/VmHWM:\\s*(\\d+)/.exec(readFileSync("/proc/self/status","utf8"))[1]+"\\n"))';

interface Measured {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  peakMb: number;
}

/** Runs the CLI; stdout is hashed and counted as it streams (it may be the whole output). */
async function measured(args: string[], cwd: string, keepStdout = true): Promise<Measured & { stdoutBytes: number; stdoutSha256: string }> {
  const child = spawn(process.execPath, ['--import', REPORT_PEAK, MODUS, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const kept: Buffer[] = [];
  const hash = createHash('sha256');
  let stdoutBytes = 0;
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    hash.update(d);
    stdoutBytes += d.length;
    if (keepStdout) kept.push(d);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const peak = /vmhwm=(\d+)\n/.exec(stderr);
  assert.ok(peak, `no peak RSS reported: ${stderr}`);
  return { code, stdout: Buffer.concat(kept), stderr: stderr.replace(peak[0], ''), peakMb: Number(peak[1]) / 1024, stdoutBytes, stdoutSha256: hash.digest('hex') };
}

test('250 MB of output: modus run stays under 200 MB RSS, the record is small, the blob holds every byte, and verify/show/export stream it', async (t) => {
  const dir = await scratch();
  const nb = await notebook(dir, `\`\`\`sh :expect "^x+$"\nyes ${LINE} | head -c ${BYTES}\necho done\n\`\`\`\n`);
  const run = await measured(['run', nb], dir);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.peakMb < RUN_RSS_LIMIT_MB, `modus run peak RSS ${run.peakMb.toFixed(0)} MB`);

  const fullLines = Math.floor(BYTES / (LINE.length + 1));
  const body = resultsBodies(await readFile(nb, 'utf8'))[0]!.body.split('\n');
  assert.equal(body[HEAD_LINES], omittedLine(fullLines + 1 - HEAD_LINES - TAIL_LINES));
  assert.equal(body.at(-1), `${LINE.slice(0, BYTES - fullLines * (LINE.length + 1))}done`);

  const journal = join(dir, '.modus', 'journal', 'nb.md.jsonl');
  assert.ok((await stat(journal)).size < 2048, `the journal line is ${(await stat(journal)).size} bytes`);
  const [record] = await readJournal(nb, { output: false });
  assert.equal(record!.outputBytes, BYTES + fullLines + 'done\r\n'.length, 'every byte, as the pty sent it (\\r\\n)');
  assert.match(record!.outputBlob ?? '', /^[0-9a-f]{64}$/);
  const blob = join(dir, '.modus', 'journal', 'blobs', `${record!.outputBlob}.gz`);
  assert.ok((await stat(blob)).size < BYTES / 10, 'compressed');

  const verify = await measured(['journal', 'verify', nb], dir);
  assert.deepEqual([verify.code, verify.stdout.toString()], [0, 'ok: 1 record, chain intact\n']);
  assert.ok(verify.peakMb < READ_RSS_LIMIT_MB, `verify peak RSS ${verify.peakMb.toFixed(0)} MB`);

  const show = await measured(['journal', 'show', nb], dir);
  assert.match(show.stdout.toString(), /^1 {2}\S+ {2}\S+ {2}#1 {2}local {2}\S+ {2}pass {2}exit 0\n$/);
  const output = await measured(['journal', 'show', nb, '--output', '1'], dir, false);
  assert.equal(output.code, 0, output.stderr);
  assert.equal(output.stdoutBytes, record!.outputBytes);
  assert.equal(output.stdoutSha256, record!.outputBlob);
  assert.ok(output.peakMb < READ_RSS_LIMIT_MB, `show --output peak RSS ${output.peakMb.toFixed(0)} MB`);

  const exported = await measured(['export', nb, '--html', join(dir, 'report.html')], dir);
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(await readFile(join(dir, 'report.html'), 'utf8'), /<td>Journal<\/td><td>1 record, chain intact<\/td>/);
  assert.ok(exported.peakMb < READ_RSS_LIMIT_MB, `export peak RSS ${exported.peakMb.toFixed(0)} MB`);
  t.diagnostic(`peak RSS: run ${run.peakMb.toFixed(0)} MB, verify ${verify.peakMb.toFixed(0)} MB, show --output ${output.peakMb.toFixed(0)} MB, export ${exported.peakMb.toFixed(0)} MB`);

  // A blob that no longer holds the output, then none at all: problems verify reports, not crashes.
  await writeFile(blob, gzipSync(Buffer.from('all good\r\n')));
  const changed = await measured(['journal', 'verify', nb], dir);
  assert.equal(changed.code, 1, changed.stderr);
  assert.match(changed.stdout.toString(), new RegExp(`^\\.modus/journal/nb\\.md\\.jsonl:1: record 1: its output blob blobs/${record!.outputBlob}\\.gz was changed`));
  assert.match(changed.stdout.toString(), /\n1 problem in 1 record\n$/);
  await rm(blob);
  const missing = await measured(['journal', 'verify', nb], dir);
  assert.equal(missing.code, 1, missing.stderr);
  assert.match(missing.stdout.toString(), /record 1: its output blob blobs\/[0-9a-f]{64}\.gz is missing/);
  const noOutput = await measured(['journal', 'show', nb, '--output', '1'], dir);
  assert.equal(noOutput.code, 2);
  assert.match(noOutput.stderr, /^modus journal: record 1's output blob blobs\/[0-9a-f]{64}\.gz is missing \(modus journal verify checks them all\)\n$/);
  assert.deepEqual(await readdir(join(dir, '.modus', 'journal')), ['blobs', 'nb.md.jsonl']);
  await rm(dir, { recursive: true, force: true });
});

test('5 MB of random binary output makes no noise on stderr, and its journal copy is exact', async () => {
  const dir = await scratch();
  const data = join(dir, 'random.bin');
  const bytes = Buffer.alloc(5_000_000);
  for (let i = 0, x = 12345; i < bytes.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  await writeFile(data, bytes);
  // stty raw: the pty passes the bytes through unchanged (no \n → \r\n), so the journal copy can be compared.
  const nb = await notebook(dir, `\`\`\`sh\nstty raw -echo </dev/tty; cat ${data}; stty sane </dev/tty\n\`\`\`\n`);
  const run = await measured(['run', nb], dir);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '', 'nothing but the exit report on stderr');
  const [record] = await readJournal(nb, { output: false });
  assert.equal(record!.outputBytes, bytes.length);
  assert.equal(record!.outputEncoding, 'base64');
  assert.equal(record!.outputBlob, createHash('sha256').update(bytes).digest('hex'));
  await rm(dir, { recursive: true, force: true });
});

test('an old journal whose record holds 240 MB of output inline verifies and shows it in bounded memory', async (t) => {
  const dir = await scratch();
  const nb = await notebook(dir, '# nb\n');
  const journal = join(dir, '.modus', 'journal');
  await mkdir(journal, { recursive: true });
  const times = 80_000_000;
  const prev = await appendLegacyLine(join(journal, 'nb.md.jsonl'), { seq: 1, prev: ZERO, outputBytes: 3 * times, encoding: 'utf8', body: [{ text: 'y\\r\\n', times }] });
  await appendLegacyLine(join(journal, 'nb.md.jsonl'), { seq: 2, prev, outputBytes: 3, encoding: 'utf8', body: [{ text: 'ok\\n', times: 1 }] });

  const verify = await measured(['journal', 'verify', nb], dir);
  assert.deepEqual([verify.code, verify.stdout.toString()], [0, 'ok: 2 records, chain intact\n'], verify.stderr);
  assert.ok(verify.peakMb < READ_RSS_LIMIT_MB, `verify peak RSS ${verify.peakMb.toFixed(0)} MB`);
  const output = await measured(['journal', 'show', nb, '--output', '1'], dir, false);
  assert.equal(output.code, 0, output.stderr);
  assert.equal(output.stdoutBytes, 3 * times);
  const expected = createHash('sha256');
  const piece = Buffer.from('y\r\n'.repeat(1_000_000));
  for (let k = 0; k < times / 1_000_000; k++) expected.update(piece);
  assert.equal(output.stdoutSha256, expected.digest('hex'));
  assert.ok(output.peakMb < READ_RSS_LIMIT_MB, `show --output peak RSS ${output.peakMb.toFixed(0)} MB`);
  const show = await measured(['journal', 'show', nb], dir);
  assert.equal(show.stdout.toString().split('\n').length, 3);
  t.diagnostic(`peak RSS: verify ${verify.peakMb.toFixed(0)} MB, show --output ${output.peakMb.toFixed(0)} MB, show ${show.peakMb.toFixed(0)} MB`);
  await rm(dir, { recursive: true, force: true });
});
