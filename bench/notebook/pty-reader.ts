// `node dist/bench/notebook/pty-reader.js COMMAND`: reads what COMMAND prints
// through node-pty and does nothing else with it: the rate `modus run` of the
// same command is measured against. Prints {"bytes":N,"ms":T} when the
// command has ended and its output is read.

import * as pty from 'node-pty';

const command = process.argv[2];
if (!command) {
  process.stderr.write('usage: pty-reader COMMAND\n');
  process.exit(2);
}
const env: Record<string, string> = {};
for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
const started = performance.now();
let bytes = 0;
let lastData = started;
// The same terminal as a block gets: 500 columns, 50 rows, raw bytes.
const term = pty.spawn('/bin/sh', ['-c', command], { name: 'xterm-256color', cols: 500, rows: 50, cwd: process.cwd(), env: { ...env, TERM: 'xterm-256color' }, encoding: null });
// With encoding null node-pty hands out Buffers; its typings still say string.
term.onData((data: string | Buffer) => {
  bytes += data.length;
  lastData = performance.now();
});
term.onExit(() => {
  const exited = performance.now();
  // Output still in flight arrives after the exit event; it counts, and so does its time.
  setTimeout(() => {
    process.stdout.write(`${JSON.stringify({ bytes, ms: Math.max(exited, lastData) - started })}\n`);
    process.exit(0);
  }, 300);
});
