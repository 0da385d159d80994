// Huge output through `modus run`, against node-pty reading the same command
// alone, in the same run: `yes` (BENCH_NOTEBOOK_MB, default 1000 MB) and
// 85-character lines (BENCH_NOTEBOOK_LINES_MB, default 300 MB). For each: the
// time ratio (target: modus at ≥ 0.7× node-pty's rate), the peak RSS of the
// `modus run` process (VmHWM from /proc as it exits; target < 200 MB), the
// journal on disk (record and blob), and `modus journal verify`'s time and
// peak RSS. Imported by bench/notebook.bench.ts; runs alone with
// `node dist/bench/notebook/huge-output.js`. BENCH_NOTEBOOK_RUNS=N alternates
// N runs of each and keeps the best times (for a machine others load too).

import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJournal } from '../../main/run/journal.js';

const MODUS = fileURLToPath(new URL('../../../bin/modus.js', import.meta.url));
const PTY_READER = fileURLToPath(new URL('./pty-reader.js', import.meta.url));
const MB = 1e6;
const RUN_RSS_TARGET_MB = 200;
const RATE_TARGET = 0.7;

/** Makes a node child print its VmHWM (peak RSS, kB) from /proc as it exits. */
const REPORT_PEAK =
  'data:text/javascript,import{readFileSync}from"node:fs";process.on("exit",()=>process.stderr.write("vmhwm="+/VmHWM:\\s*(\\d+)/.exec(readFileSync("/proc/self/status","utf8"))[1]+"\\n"))';

export interface HugeCase {
  name: string;
  command: string;
}

function sizeFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number of MB, got ${raw}`);
  return n;
}

export function hugeOutputCases(): HugeCase[] {
  const yes = sizeFromEnv('BENCH_NOTEBOOK_MB', 1000);
  const lines = sizeFromEnv('BENCH_NOTEBOOK_LINES_MB', 300);
  return [
    { name: `yes, ${yes} MB`, command: `yes | head -c ${Math.round(yes * MB)}` },
    { name: `85-character lines, ${lines} MB`, command: `yes ${'x'.repeat(84)} | head -c ${Math.round(lines * MB)}` },
  ];
}

export interface HugeFigures {
  name: string;
  runs: number;
  /** Bytes through the pty (\n became \r\n), as node-pty read them. */
  ptyBytes: number;
  ptyMs: number;
  runMs: number;
  runPeakMb: number;
  /** The journal line and the blob(s), on disk. */
  recordBytes: number;
  blobBytes: number;
  /** outputBytes of the record: every byte the pty sent. */
  journaledBytes: number;
  verifyMs: number;
  verifyPeakMb: number;
  verifyOk: boolean;
}

interface Child {
  code: number | null;
  ms: number;
  stdout: string;
  stderr: string;
  peakMb: number | null;
}

function run(args: string[], cwd: string): Promise<Child> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const peak = /vmhwm=(\d+)\n/.exec(stderr);
      resolve({ code, ms: performance.now() - started, stdout, stderr: peak ? stderr.replace(peak[0], '') : stderr, peakMb: peak ? Number(peak[1]) / 1024 : null });
    });
  });
}

/** Runs per case (BENCH_NOTEBOOK_RUNS, default 1): node-pty and modus alternate, the best time of each counts (a busy machine slows either at random). */
export function runsFromEnv(): number {
  return Math.round(sizeFromEnv('BENCH_NOTEBOOK_RUNS', 1));
}

export async function measureHugeOutput(c: HugeCase, runs = runsFromEnv()): Promise<HugeFigures> {
  const dir = await mkdtemp(join(tmpdir(), 'modus-bench-huge-'));
  try {
    const nb = join(dir, 'huge.md');
    const journal = join(dir, '.modus', 'journal');
    let ptyBytes = 0;
    let ptyMs = Infinity;
    let runMs = Infinity;
    let runPeakMb = 0;
    for (let r = 0; r < runs; r++) {
      const alone = await run([PTY_READER, c.command], dir);
      if (alone.code !== 0) throw new Error(`pty reader failed: ${alone.stderr}`);
      const pty = JSON.parse(alone.stdout) as { bytes: number; ms: number };
      ptyBytes = pty.bytes;
      ptyMs = Math.min(ptyMs, pty.ms);

      await rm(join(dir, '.modus'), { recursive: true, force: true });
      await writeFile(nb, `\`\`\`sh\n${c.command}\n\`\`\`\n`);
      const modus = await run(['--import', REPORT_PEAK, MODUS, 'run', nb], dir);
      if (modus.code !== 0) throw new Error(`modus run exited ${modus.code}: ${modus.stderr}`);
      runMs = Math.min(runMs, modus.ms);
      runPeakMb = Math.max(runPeakMb, modus.peakMb ?? NaN);
    }

    const recordBytes = (await stat(join(journal, 'huge.md.jsonl'))).size;
    let blobBytes = 0;
    const blobs = await readdir(join(journal, 'blobs')).catch(() => [] as string[]);
    for (const b of blobs) blobBytes += (await stat(join(journal, 'blobs', b))).size;
    const [record] = await readJournal(nb, { output: false });
    const verify = await run(['--import', REPORT_PEAK, MODUS, 'journal', 'verify', nb], dir);
    return {
      name: c.name, runs, ptyBytes, ptyMs, runMs, runPeakMb,
      recordBytes, blobBytes, journaledBytes: record?.outputBytes ?? 0,
      verifyMs: verify.ms, verifyPeakMb: verify.peakMb ?? NaN, verifyOk: verify.code === 0,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function formatHugeOutput(f: HugeFigures): string {
  const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const rate = (ms: number): string => `${(f.ptyBytes / MB / (ms / 1000)).toFixed(1)} MB/s`;
  const ratio = f.ptyMs / f.runMs;
  const size = (n: number): string => (n >= MB ? `${(n / MB).toFixed(1)} MB` : `${n} B`);
  return [
    `${f.name} (${(f.ptyBytes / MB).toFixed(0)} MB through the pty${f.runs > 1 ? `; best of ${f.runs} runs each` : ''}):`,
    `  node-pty alone     ${s(f.ptyMs)} (${rate(f.ptyMs)})`,
    `  modus run          ${s(f.runMs)} (${rate(f.runMs)}): ${ratio.toFixed(2)}× node-pty's rate; target ≥ ${RATE_TARGET}: ${ratio >= RATE_TARGET ? 'met' : 'NOT met'}`,
    `  modus run peak RSS ${f.runPeakMb.toFixed(0)} MB; target < ${RUN_RSS_TARGET_MB} MB: ${f.runPeakMb < RUN_RSS_TARGET_MB ? 'met' : 'NOT met'}`,
    `  journal on disk    record ${size(f.recordBytes)} + blob ${size(f.blobBytes)} for ${size(f.journaledBytes)} of output (${f.journaledBytes === f.ptyBytes ? 'every byte node-pty read' : `${f.journaledBytes} bytes; node-pty alone read ${f.ptyBytes}`})`,
    `  journal verify     ${s(f.verifyMs)}, peak RSS ${f.verifyPeakMb.toFixed(0)} MB, ${f.verifyOk ? 'ok' : 'FAILED'}`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const c of hugeOutputCases()) console.log(formatHugeOutput(await measureHugeOutput(c)));
}
