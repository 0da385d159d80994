// Pty output through the hub, byte for byte, with flow control doing its job.
import { test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, openSync, writeSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIN_HIGH_WATERMARK } from '../../../main/terminals/flow-control.js';
import { DEFAULT_BATCH } from '../../../main/terminals/output-batcher.js';
import { rendererFor, childPid } from './hub-client.js';
import { seededRandom as seeded } from '../../helpers/seeded-random.js';

const SIZE = 50 * 1024 * 1024;
const START = 'MARK_START';
const END = 'MARK_END';
let dir: string;
let file: string;
let fileHash: string;

/** Terminal output as programs write it: words, multibyte text, colours, cursor motion, titles, long lines, odd bytes. */
function generate(path: string, size: number): string {
  const random = seeded(20261123);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const words = ['show', 'route', 'interface', 'ge-0/0/0', 'bgp', 'neighbor', 'established', 'inet6', 'lo0', 'mtu', 'up', 'down'];
  const unicode = ['é', 'ü', 'ß', '€', '→', '│', '└─', '漢字', 'かな', '😀', '👍🏽', 'e\u0301', 'Ω', '∑'];
  const escapes = [
    () => `\x1b[${30 + Math.floor(random() * 8)}m`,
    () => `\x1b[38;2;${Math.floor(random() * 256)};${Math.floor(random() * 256)};${Math.floor(random() * 256)}m`,
    () => '\x1b[0m',
    () => '\x1b[1m',
    () => `\x1b[${1 + Math.floor(random() * 5)}A`,
    () => '\x1b[K',
    () => '\r',
    () => `\x1b]0;${pick(words)}\x07`,
    () => `\x1b]7;file://nohost/${pick(words)}\x1b\\`,
    () => '\t',
  ];
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  let written = 0;
  while (written < size) {
    const parts: string[] = [];
    let piece = 0;
    while (piece < 1024 * 1024) {
      const r = random();
      const token = r < 0.45 ? pick(words) + ' ' : r < 0.65 ? pick(unicode) : r < 0.85 ? pick(escapes)() : r < 0.97 ? '\n' : 'x'.repeat(Math.floor(random() * 400)) + '\n';
      parts.push(token);
      piece += token.length;
    }
    let bytes = Buffer.from(parts.join(''), 'utf8');
    // A few bytes that are not UTF-8 at all: the host must pass them on untouched.
    bytes = Buffer.concat([bytes, Buffer.from([0xff, 0xfe, 0xc3, 0x0a])]);
    if (written + bytes.length > size) bytes = bytes.subarray(0, size - written);
    writeSync(fd, bytes);
    hash.update(bytes);
    written += bytes.length;
  }
  closeSync(fd);
  return hash.digest('hex');
}

/** The bytes the shell printed between the two markers. */
function between(output: Buffer): Buffer {
  const from = output.indexOf(START);
  const to = output.indexOf(END, from);
  assert.ok(from !== -1 && to !== -1, 'both markers in the output');
  return output.subarray(from + START.length, to);
}

// printf 'MARK%sSTART' _ prints MARK_START, while the echoed command line shows MARK%sSTART: the marker appears once.
const catCommand = (path: string): string => `stty raw -echo; printf 'MARK%sSTART' _; cat '${path}'; printf 'MARK%sEND' _; stty sane\n`;

/** A /bin/sh at its prompt, prompt acknowledged; every later byte waits for an explicit ack (r.ackAll). */
async function shellThatAcksByHand(t: TestContext) {
  const r = rendererFor(t, { settings: { shell: '/bin/sh', shellArgs: [] } });
  r.autoAck = false;
  const id = r.create();
  const view = r.terminals.get(id)!;
  const created = await r.waitFor(() => view.created, 'term.created');
  await r.waitForText(id, /[$#] $/, 10_000);
  r.ackAll(id);
  return { r, id, view, created };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'modus-bytes-'));
  file = join(dir, 'mixed.bin');
  fileHash = generate(file, SIZE);
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('50 MB of mixed UTF-8 and escape sequences: bytes in equal bytes out', async (t) => {
  const r = rendererFor(t, { settings: { shell: '/bin/sh', shellArgs: [] } });
  const id = r.create();
  await r.waitFor(() => r.terminals.get(id)!.created, 'term.created');
  await r.waitForText(id, /[$#] $/, 10_000);
  const started = process.hrtime.bigint();
  r.type(id, catCommand(file));
  await r.waitFor(() => r.tail(id, 4096).includes(END), 'the end marker', 120_000);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const got = between(r.output(id));
  assert.equal(got.length, SIZE, 'same length');
  assert.equal(createHash('sha256').update(got).digest('hex'), fileHash, 'same sha256');
  const batches = r.messages.filter((m) => m.type === 'term.data').length;
  process.stdout.write(`# pty → hub: ${(SIZE / 1048576 / seconds).toFixed(1)} MB/s, ${batches} batches, mean ${(SIZE / batches / 1024).toFixed(1)} KB\n`);
  for (const m of r.messages) if (m.type === 'term.data') assert.ok(m.data.byteLength <= DEFAULT_BATCH.maxBytes * 2, 'batches stay bounded');
});

test('without acknowledgements the pty is paused: nothing is sent past the first window and the writer blocks; acks let it finish intact', async (t) => {
  const { r, id, view, created } = await shellThatAcksByHand(t);
  r.type(id, catCommand(file));

  const cat = await r.waitFor(() => childPid(created.pid, 'cat'), 'cat to start');
  await r.waitFor(() => view.received - view.acknowledged >= MIN_HIGH_WATERMARK, 'a full first window');
  // Wait for the writer to be blocked: asleep, and reading nothing more, over several looks.
  let lastRead = -1;
  let steady = 0;
  await r.waitFor(() => {
    const io = readFileSync(`/proc/${cat}/io`, 'utf8');
    const read = Number(/rchar: (\d+)/.exec(io)![1]);
    const state = readFileSync(`/proc/${cat}/stat`, 'utf8').split(') ')[1]![0];
    steady = read === lastRead && state === 'S' ? steady + 1 : 0;
    lastRead = read;
    return steady >= 5;
  }, 'cat to block on its write');
  const unacknowledged = view.received - view.acknowledged;
  process.stdout.write(`# paused with ${(unacknowledged / 1024).toFixed(0)} KB unacknowledged; cat had read ${(lastRead / 1048576).toFixed(1)} of ${SIZE / 1048576} MB\n`);
  // Nothing acknowledged, so nothing measured: a renderer of unknown speed gets the floor, and not a byte more.
  assert.equal(unacknowledged, MIN_HIGH_WATERMARK, 'exactly the first window is outstanding');
  assert.ok(lastRead < SIZE / 4, 'the writer is held back, not buffered into memory');
  assert.ok(!r.tail(id, 4096).includes(END), 'not finished while unacknowledged');

  r.autoAck = true;
  r.ackAll(id);
  await r.waitFor(() => r.tail(id, 4096).includes(END), 'the end marker after acknowledging', 120_000);
  const got = between(r.output(id));
  assert.equal(createHash('sha256').update(got).digest('hex'), fileHash, 'pausing lost or reordered nothing');
});

test('`yes` then Ctrl-C stops at once even when the renderer is behind', async (t) => {
  const { r, id, view, created } = await shellThatAcksByHand(t);
  r.type(id, 'yes\n');
  await r.waitFor(() => childPid(created.pid, 'yes'), 'yes to start');
  await r.waitFor(() => view.received - view.acknowledged >= MIN_HIGH_WATERMARK, 'the pty to fill up');
  const before = view.received;
  r.type(id, '\x03');
  await r.waitFor(() => childPid(created.pid, 'yes') === null, 'yes to die of the Ctrl-C');
  r.autoAck = true;
  r.ackAll(id);
  r.type(id, 'echo done-$((6*7))\n');
  await r.waitForText(id, 'done-42');
  const after = view.received - before;
  process.stdout.write(`# after Ctrl-C: ${(after / 1024).toFixed(0)} KB more output\n`);
  // What the host had read but not sent (a read or two) and what the kernel's pty buffer held follow the Ctrl-C, nothing more.
  assert.ok(after < 256 * 1024, `only what was already read or in the pty follows the Ctrl-C (${after} bytes)`);
});

test('a 1 MB paste arrives intact and in order (sha256 computed by the shell)', async (t) => {
  const random = seeded(7);
  const alphabet = ['a', 'b', 'Z', ' ', '\t', 'é', '€', '漢', '😀', '\x1b[200~', '\x1b[201~', '\x1b[31m', '\r', '\n'];
  const parts: string[] = [];
  let bytes = 0;
  while (bytes < 1024 * 1024) {
    const t = alphabet[Math.floor(random() * alphabet.length)]!;
    parts.push(t);
    bytes += Buffer.byteLength(t);
  }
  const paste = parts.join('');
  const size = Buffer.byteLength(paste);
  const expected = createHash('sha256').update(paste, 'utf8').digest('hex');
  const r = rendererFor(t, { settings: { shell: '/bin/sh', shellArgs: [] } });
  const id = r.create();
  await r.waitForText(id, /[$#] $/, 10_000);
  // Raw mode: no line editing, no 4 KB line limit, no CR→NL; head reads exactly the pasted bytes.
  r.type(id, `stty raw -echo; head -c ${size} | sha256sum; stty sane\n`);
  await r.waitFor(() => childPid(r.terminals.get(id)!.created!.pid, 'head'), 'head to start');
  r.type(id, paste.slice(0, 300_000));
  r.type(id, paste.slice(300_000)); // two messages: their order must hold
  await r.waitForText(id, expected, 60_000);
});

// A paused pty holds its writer back once the kernel's pty buffer (about 17-20 KB on Linux, the
// flip buffers plus the line discipline's 4 KB) and node-pty's read buffer are full: a program
// only exits while the terminal is paused if its last output fits in there. So the output comes
// in two steps: first enough to pass a small high watermark (the host pauses, the shell waits
// for a line), then, with the pty certainly paused, a tail well inside that room, and exit.
test('output written just before the shell exits is delivered even while the pty is paused', async (t) => {
  const watermarks = { high: 1024, low: 512 };
  const first = 2048; // past the high watermark: the pty pauses
  const last = 8000; // written while paused; with what is left of `first`, well under the kernel's room
  const command = `stty raw -echo; head -c ${first} '${file}'; IFS= read -r go; tail -c +${first + 1} '${file}' | head -c ${last}`;
  const r = rendererFor(t, { settings: { shell: '/bin/sh', shellArgs: ['-c', command] }, watermarks });
  r.autoAck = false;
  const id = r.create();
  const view = r.terminals.get(id)!;
  // The host sends exactly a window, pauses the pty and keeps the rest of its last read.
  await r.waitFor(() => view.received >= watermarks.high, 'a full window', 10_000);
  r.type(id, 'go\n');
  await r.waitFor(() => view.exit, 'the shell to exit', 10_000);
  assert.equal(view.received, first + last, 'every byte written before the exit arrived');
  const expected = createHash('sha256').update(readFileSync(file).subarray(0, first + last)).digest('hex');
  assert.equal(createHash('sha256').update(r.output(id)).digest('hex'), expected, 'in order and intact');
  const types = r.messages.filter((m) => 'id' in m && m.id === id).map((m) => m.type);
  assert.equal(types.at(-1), 'term.exit', 'the exit is reported after the last output');
  assert.equal(view.received - view.acknowledged, first + last, 'nothing was acknowledged: the pty stayed paused');
});
