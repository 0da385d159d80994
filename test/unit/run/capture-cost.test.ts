// What capture costs when many hosts send big output at once: plain output
// read as it arrives (cut mid-line, as ssh packets cut it) stays off the
// emulator, and the emulator, when colours need it, holds a few megabytes,
// not the 48 MB a scrollback of 8,000 rows of 500 columns held per host
// (a block on 20 hosts printing 300,000 lines each peaked at 1.3 GB).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TerminalCapture } from '../../../main/run/capture.js';

const CAPTURE = join(import.meta.dirname, '..', '..', '..', 'main', 'run', 'capture.js');
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('plain lines that arrive cut mid-line, with pauses between the parts, never reach the emulator, and read back whole', async () => {
  const c = new TerminalCapture();
  const line = (i: number): string => `row ${i} ${'x'.repeat(90)}\r\n`;
  let all = '';
  for (let i = 0; i < 3000; i++) all += line(i);
  // Cut where no newline is near: the start of a line comes alone, its rest later (the capture's 10 ms batch wait has long passed).
  for (let at = 0; at < all.length; ) {
    const end = Math.min(all.length, at + 7919);
    await c.write(Buffer.from(all.slice(at, end)));
    await pause(at === 0 ? 40 : 0);
    at = end;
  }
  await c.write(Buffer.from('tail without a newline'));
  await pause(40);
  const r = await c.finish();
  assert.equal(c.emulated, false, 'the emulator was not started');
  assert.equal(r.lines, 3001);
  assert.match(r.text, /^row 0 x{90}\n/);
  assert.match(r.text, /\nrow 2999 x{90}\ntail without a newline$/);
});

test('ten captures of 20,000 coloured lines each (the emulator reads them) hold under 150 MB together; the scrollback of before held 480 MB', () => {
  const script = `
    import { TerminalCapture } from ${JSON.stringify(CAPTURE)};
    const captures = Array.from({ length: 10 }, () => new TerminalCapture());
    const chunk = (from) => Buffer.from(Array.from({ length: 500 }, (_, i) => '\\x1b[31mline ' + (from + i) + '\\x1b[0m\\r\\n').join(''));
    for (let from = 0; from < 20000; from += 500) for (const c of captures) { const w = c.write(chunk(from)); if (w) await w; }
    // What the emulators hold once they have read everything, before they end (the end frees it all).
    while (captures.some((c) => c.queuedBytes > 0 || c.pump !== null)) await new Promise((r) => setTimeout(r, 5));
    globalThis.gc();
    const held = process.memoryUsage().arrayBuffers;
    const results = await Promise.all(captures.map((c) => c.finish()));
    console.log(JSON.stringify({ held, emulated: captures.every((c) => c.emulated), last: results[0].text.split('\\n').at(-1), lines: results[0].lines }));
  `;
  const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { held: number; emulated: boolean; last: string; lines: number };
  assert.equal(out.emulated, true, 'colours go through the emulator');
  assert.equal(out.last, 'line 19999');
  assert.equal(out.lines, 20000);
  assert.ok(out.held < 150 * 1024 * 1024, `array buffers held: ${(out.held / 1048576).toFixed(0)} MB`);
});
