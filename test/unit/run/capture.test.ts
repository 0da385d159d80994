// Capture shows what a terminal would show: progress bars collapsed, colours
// gone, long lines whole, long output as head + omitted count + tail.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEAD_LINES, TAIL_LINES, TerminalCapture, omittedLine } from '../../../main/run/capture.js';

async function capture(chunks: (string | Uint8Array)[]): Promise<{ text: string; lines: number; omitted: number }> {
  const c = new TerminalCapture();
  for (const ch of chunks) await c.write(typeof ch === 'string' ? Buffer.from(ch) : ch);
  return c.finish();
}

test('carriage-return progress collapses, colours and cursor moves resolve, trailing blank lines go', async () => {
  const r = await capture(['\x1b[1;31mred\x1b[0m plain\r\n', 'progress  10%', '\rprogress  55%', '\rprogress 100%\r\n', 'abc\x1b[2Dxy\r\n\r\n\r\n']);
  assert.equal(r.text, 'red plain\nprogress 100%\naxy');
  assert.equal(r.lines, 3);
});

test('a line longer than the terminal is one line again; split UTF-8 survives chunking', async () => {
  const long = 'é'.repeat(1300);
  const bytes = Buffer.from(`${long}\r\nend\r\n`);
  const r = await capture([bytes.subarray(0, 7), bytes.subarray(7, 1001), bytes.subarray(1001)]);
  assert.equal(r.text, `${long}\nend`);
});

test('invalid UTF-8 shows as U+FFFD; NUL is dropped like a terminal does', async () => {
  const r = await capture([Uint8Array.from([0x61, 0xff, 0xfe, 0x00, 0x62, 0x0d, 0x0a])]);
  assert.equal(r.text, 'a\ufffd\ufffdb');
});

test('long output keeps the first and last lines and counts the rest, through both the terminal and the plain-text path', async () => {
  const n = 12_345;
  const plain = Array.from({ length: n }, (_, i) => `line ${i + 1}\r\n`).join('');
  // The same lines with a colour escape in each, so every piece goes through the terminal emulator.
  const coloured = Array.from({ length: n }, (_, i) => `\x1b[32mline ${i + 1}\x1b[0m\r\n`).join('');
  for (const source of [plain, coloured]) {
    const chunks: string[] = [];
    for (let i = 0; i < source.length; i += 4093) chunks.push(source.slice(i, i + 4093));
    const r = await capture(chunks);
    const lines = r.text.split('\n');
    assert.equal(r.lines, n);
    assert.equal(r.omitted, n - HEAD_LINES - TAIL_LINES);
    assert.equal(lines.length, HEAD_LINES + 1 + TAIL_LINES);
    assert.equal(lines[0], 'line 1');
    assert.equal(lines[HEAD_LINES - 1], `line ${HEAD_LINES}`);
    assert.equal(lines[HEAD_LINES], omittedLine(n - HEAD_LINES - TAIL_LINES));
    assert.equal(lines[HEAD_LINES + 1], `line ${n - TAIL_LINES + 1}`);
    assert.equal(lines.at(-1), `line ${n}`);
  }
});

test('a watched pattern counts on a line left out, through both the terminal and the plain-text path', async () => {
  const n = 1000;
  const line = (i: number, colour: boolean): string => {
    const text = i === 500 ? `needle ${i}` : `hay ${i}`;
    return colour ? `\x1b[32m${text}\x1b[0m\r\n` : `${text}\r\n`;
  };
  for (const colour of [false, true]) {
    // Small chunks, as a pty delivers them under load: each piece holds few lines.
    for (const chunkLines of [1, 7, 1000]) {
      const c = new TerminalCapture(undefined, [/^needle 500$/, /^needle 501$/, /^$/]);
      for (let i = 1; i <= n; i += chunkLines) {
        const piece = Array.from({ length: Math.min(chunkLines, n - i + 1) }, (_, k) => line(i + k, colour)).join('');
        await c.write(Buffer.from(piece));
      }
      const r = await c.finish();
      const where = `colour ${colour}, ${chunkLines} lines per chunk`;
      assert.equal(r.omitted, n - HEAD_LINES - TAIL_LINES, where);
      assert.doesNotMatch(r.text, /needle/, where);
      assert.deepEqual(r.matchedInOmitted, [0], where);
    }
  }
});

test('a wrapped line that spans a harvest boundary is joined', async () => {
  const before = Array.from({ length: 1990 }, (_, i) => `l${i}\r\n`).join('');
  const wide = 'w'.repeat(3000);
  const r = await capture([before, wide.slice(0, 1500), wide.slice(1500) + '\r\n', 'after\r\n']);
  const lines = r.text.split('\n');
  assert.equal(lines.at(-2), wide);
  assert.equal(lines.at(-1), 'after');
  assert.equal(r.lines, 1992);
});

test('property: plain output of any shape and chunking reads back as its lines (head, omitted, tail)', async () => {
  const fc = await import('fast-check');
  const line = fc.oneof(
    { weight: 8, arbitrary: fc.stringMatching(/^[a-z0-9 ]{0,40}$/) },
    { weight: 1, arbitrary: fc.stringMatching(/^[a-z]{400,1600}$/) },
  );
  await fc.assert(
    fc.asyncProperty(fc.array(line, { minLength: 0, maxLength: 600 }), fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 8 }), async (lines, cuts) => {
      const source = Buffer.from(lines.map((l) => `${l}\r\n`).join(''));
      const chunks: Uint8Array[] = [];
      for (let at = 0, k = 0; at < source.length; k++) {
        const n = cuts[k % cuts.length]!;
        chunks.push(source.subarray(at, at + n));
        at += n;
      }
      const r = await capture(chunks);
      const expected = lines.map((l) => l.trimEnd());
      while (expected.length > 0 && expected.at(-1)!.trim() === '') expected.pop();
      const omitted = Math.max(0, expected.length - HEAD_LINES - TAIL_LINES);
      const shown = omitted > 0 ? [...expected.slice(0, HEAD_LINES), omittedLine(omitted), ...expected.slice(-TAIL_LINES)] : expected;
      assert.equal(r.text, shown.join('\n'));
      assert.equal(r.omitted, omitted);
    }),
    { numRuns: 40 },
  );
});
