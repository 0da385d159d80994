// The live lines of `modus run` on a terminal: cut to its width, no more
// than its height allows, and erased exactly, also after a resize. The
// display writes to a terminal emulator (@xterm/headless, which rewraps its
// lines on resize as xterm.js does), resized in the order a real terminal
// would be: before the program hears of it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import xtermHeadless from '@xterm/headless';
import { RunDisplay } from '../../../main/host/cli/commands/run-display.js';
import { cellWidth, cutToCells, liveLine, liveLines, rowsTaken } from '../../../main/host/cli/commands/live-lines.js';
import type { HostRunResult } from '../../../main/run/run-host.js';

const HOSTS = Array.from({ length: 16 }, (_, i) => `web-frontend-node-${String(i + 1).padStart(2, '0')}`);

test('a live line fits in columns - 1: the host name gives way first, the elapsed time stays', () => {
  const r = { number: 3, lang: 'sh', host: 'web-frontend-node-01', elapsed: '12.5s' };
  assert.equal(liveLine(r, 80), '[3] sh web-frontend-node-01 … running 12.5s');
  const cut = liveLine(r, 40);
  assert.equal(cut, '[3] sh web-frontend-node… running 12.5s');
  assert.equal(cellWidth(cut), 39);
  // Too narrow to keep a recognizable name: the line's beginning.
  assert.equal(liveLine(r, 20), '[3] sh web-fronten…');
  for (let cols = 2; cols <= 60; cols++) assert.ok(cellWidth(liveLine(r, cols)) <= cols - 1, `at ${cols} columns`);
  // Wide characters take two cells each.
  const wide = liveLine({ ...r, host: '東京-ルータ-一号機' }, 30);
  assert.ok(cellWidth(wide) <= 29, wide);
  assert.equal(cutToCells('東京東京', 5), '東京…');
});

test('live lines: at most rows - 1 of them, the last saying how many more run', () => {
  const running = HOSTS.map((host) => ({ number: 1, lang: 'sh', host, elapsed: '1.0s' }));
  const short = liveLines(running, { columns: 40, rows: 10 }, 12);
  assert.equal(short.length, 9);
  assert.equal(short.at(-1), '… and 8 more running');
  const tall = liveLines(running, { columns: 40, rows: 50 }, 12);
  assert.equal(tall.length, 12);
  assert.equal(tall.at(-1), '… and 5 more running');
  assert.equal(liveLines(running.slice(0, 9), { columns: 40, rows: 10 }, 12).length, 9, 'nine fit in nine rows: no count line');
  assert.deepEqual(liveLines(running, { columns: 40, rows: 1 }, 12), []);
});

test('rows taken after a resize: lines narrowed below their width wrap onto more rows', () => {
  assert.equal(rowsTaken([39, 39, 20], 40), 3);
  assert.equal(rowsTaken([39, 39, 20], 30), 5);
  assert.equal(rowsTaken([40], 40), 1, 'a line exactly as wide as the terminal does not wrap');
  assert.equal(rowsTaken([0], 40), 1);
});

/** A terminal for the display: a stream into a headless xterm, with its size and 'resize'. */
class FakeTerminal {
  readonly term: InstanceType<typeof xtermHeadless.Terminal>;
  readonly out: Writable & { columns: number; rows: number };
  private chain = Promise.resolve();

  constructor(columns: number, rows: number) {
    this.term = new xtermHeadless.Terminal({ cols: columns, rows, scrollback: 10_000, allowProposedApi: true, logLevel: 'off' });
    // write is replaced, not implemented: a Writable may buffer a write, and a resize must come after every byte written before it.
    const write = (chunk: string | Uint8Array): boolean => {
      // The pty turns \n into \r\n (onlcr); so does this terminal's feed.
      const text = Buffer.from(chunk).toString('utf8').replace(/\n/g, '\r\n');
      this.chain = this.chain.then(() => new Promise<void>((resolve) => this.term.write(text, resolve)));
      return true;
    };
    this.out = Object.assign(new Writable(), { columns, rows, write });
  }

  /** The terminal is resized (and rewraps), then the program hears of it. */
  resize(columns: number, rows: number): void {
    this.chain = this.chain.then(() => this.term.resize(columns, rows));
    this.out.columns = columns;
    this.out.rows = rows;
    this.out.emit('resize');
  }

  /** Every row of the scrollback and the screen, after all that was written. */
  async rows(): Promise<{ text: string; wrapped: boolean }[]> {
    await this.chain;
    const buf = this.term.buffer.active;
    const out: { text: string; wrapped: boolean }[] = [];
    for (let y = 0; y < buf.length; y++) {
      const line = buf.getLine(y)!;
      out.push({ text: line.translateToString(true), wrapped: line.isWrapped });
    }
    return out;
  }
}

function result(host: string): HostRunResult {
  const at = new Date();
  return { host, start: at, end: at, exitCode: 0, status: 'pass', text: '', expectations: [], raw: { kind: 'none' }, omitted: 0 } as unknown as HostRunResult;
}

test('a fan-out on a 40x10 terminal, widened to 60x30 then narrowed to 40x30: no line wider than it, no stale running line, every result kept', async () => {
  const t = new FakeTerminal(40, 10);
  const display = new RunDisplay(t.out, true);
  const at = new Date();
  display.event({ kind: 'block-start', number: 1, lang: 'sh', hosts: HOSTS });
  for (const host of HOSTS) display.event({ kind: 'host-start', number: 1, lang: 'sh', host, at });
  const short = (await t.rows()).filter((r) => /running/.test(r.text));
  assert.equal(short.length, 9, 'nine live lines on a terminal of ten rows');
  assert.equal(short.at(-1)!.text, '… and 8 more running');
  for (const host of HOSTS.slice(0, 4)) display.event({ kind: 'host-end', number: 1, lang: 'sh', host, result: result(host) });
  t.resize(60, 30);
  const wide = (await t.rows()).filter((r) => /running/.test(r.text));
  assert.equal(wide.length, 12, 'twelve at most on a taller terminal');
  assert.match(wide[0]!.text, /^\[1\] sh web-frontend-node-05 … running /, 'the whole name once it fits');
  // Lines of 41 cells and more: the terminal rewraps each onto two rows.
  t.resize(40, 30);
  const narrow = (await t.rows()).filter((r) => /running/.test(r.text));
  assert.equal(narrow.length, 12, 'the lines rewrapped by the terminal were erased, and drawn again at its new width');
  assert.deepEqual(narrow.filter((r) => r.wrapped), []);
  for (const host of HOSTS.slice(4)) display.event({ kind: 'host-end', number: 1, lang: 'sh', host, result: result(host) });
  display.event({ kind: 'block-end', number: 1, status: 'pass', write: null, entries: null, mode: 'replace' });
  display.close();
  const rows = await t.rows();
  assert.deepEqual(rows.filter((r) => /running/.test(r.text)), [], 'no running line left behind, on the screen or in the scrollback');
  assert.deepEqual(rows.filter((r) => r.wrapped), [], 'no line wider than the terminal');
  for (const host of HOSTS) assert.equal(rows.filter((r) => r.text.startsWith(`[1] sh ${host} … pass `)).length, 1, host);
  assert.ok(rows.some((r) => r.text === '[1] all pass: 16 pass'));
  t.term.dispose();
});

test('a line written to stderr beside the live lines (aside) stays, and leaves none of them behind', async () => {
  const t = new FakeTerminal(40, 10);
  const display = new RunDisplay(t.out, true);
  display.event({ kind: 'host-start', number: 2, lang: 'sh', host: 'r1', at: new Date() });
  display.aside(() => t.out.write('modus run: block 2: no journal\n'));
  display.event({ kind: 'host-end', number: 2, lang: 'sh', host: 'r1', result: result('r1') });
  display.close();
  const text = (await t.rows()).map((r) => r.text).filter((l) => l !== '');
  assert.equal(text.length, 2, text.join('\n'));
  assert.equal(text[0], 'modus run: block 2: no journal');
  assert.match(text[1]!, /^\[2\] sh r1 … pass \d+ms$/);
  t.term.dispose();
});

test('hosts waiting for a client the open-file limit allows: the reason once, above; their live lines say waiting until they run', async () => {
  const t = new FakeTerminal(160, 20);
  const display = new RunDisplay(t.out, true);
  const at = new Date();
  const why = 'waiting for the one ssh client the open-file limit allows at once (ulimit -n 56; raise it to run more hosts at once)';
  display.event({ kind: 'block-start', number: 2, lang: 'sh', hosts: HOSTS.slice(0, 3) });
  for (const host of HOSTS.slice(0, 3)) display.event({ kind: 'host-start', number: 2, lang: 'sh', host, at });
  for (const host of HOSTS.slice(1, 3)) display.event({ kind: 'host-waiting', number: 2, host, why });
  let rows = (await t.rows()).map((r) => r.text);
  assert.deepEqual(rows.filter((r) => r.startsWith('[2] waiting for')), [`[2] ${why}`], 'told once for the block');
  assert.match(rows.find((r) => r.includes(HOSTS[0]!))!, /… running /);
  assert.match(rows.find((r) => r.includes(HOSTS[1]!))!, /… waiting /);
  display.event({ kind: 'host-waiting', number: 2, host: HOSTS[1]!, why: null });
  rows = (await t.rows()).map((r) => r.text);
  assert.match(rows.find((r) => r.includes(HOSTS[1]!))!, /… running /, 'running once its turn came');
  assert.match(rows.find((r) => r.includes(HOSTS[2]!))!, /… waiting /);
  display.close();

  // Not on a terminal: the plain reason line, once.
  let plain = '';
  const pipe = new RunDisplay(new Writable({ write: (c: Buffer, _e, done) => ((plain += c.toString()), done()) }), false);
  for (const host of HOSTS.slice(0, 3)) pipe.event({ kind: 'host-waiting', number: 2, host, why });
  assert.equal(plain, `[2] ${why}\n`);
});
