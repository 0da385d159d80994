// Plain text skips the terminal emulator; these check that the shortcut
// never changes the text: capture must equal a terminal that was fed every
// byte (a reference emulator with a scrollback big enough to keep it all),
// whatever comes after the plain text and however the output is cut.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import xtermHeadless from '@xterm/headless';
import { HEAD_LINES, MAX_LINE_CHARS, TAIL_LINES, TerminalCapture, omittedLine } from '../../../main/run/capture.js';

/** What the whole output looks like on one terminal, cut to head and tail as capture does. */
async function reference(bytes: Buffer): Promise<string> {
  const term = new xtermHeadless.Terminal({ cols: 500, rows: 50, scrollback: 100_000, convertEol: true, allowProposedApi: true, logLevel: 'off' });
  await new Promise<void>((resolve) => term.write(new TextDecoder().decode(bytes), resolve));
  const buf = term.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < buf.length; y++) {
    const row = buf.getLine(y)!;
    const text = row.translateToString(false);
    if (row.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  term.dispose();
  const shown = lines.map((l) => {
    const t = l.trimEnd();
    return t.length > MAX_LINE_CHARS ? `${t.slice(0, MAX_LINE_CHARS)} …` : t;
  });
  while (shown.length > 0 && shown.at(-1)!.trim() === '') shown.pop();
  const omitted = Math.max(0, shown.length - HEAD_LINES - TAIL_LINES);
  return (omitted > 0 ? [...shown.slice(0, HEAD_LINES), omittedLine(omitted), ...shown.slice(-TAIL_LINES)] : shown).join('\n');
}

/** Feeds the parts as separate writes, with a pause after each so each is a piece of its own. */
async function captured(parts: (string | Buffer)[], pauseMs = 25): Promise<string> {
  const c = new TerminalCapture();
  for (const p of parts) {
    await c.write(typeof p === 'string' ? Buffer.from(p) : p);
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return (await c.finish()).text;
}

async function same(parts: string[]): Promise<void> {
  const want = await reference(Buffer.from(parts.join('')));
  assert.equal(await captured(parts), want);
  assert.equal(await captured([parts.join('')], 0), want);
}

const lines = (n: number, name: string): string => Array.from({ length: n }, (_, i) => `${name} ${i}\r\n`).join('');

test('plain lines after a carriage return overwrite the row they start on, as on a terminal', async () => {
  await same(['abcdefgh\r', lines(300, 'xy')]);
});

test('plain lines over rows below the cursor merge with them, as on a terminal', async () => {
  await same(['\x1b[2J\x1b[H', 'row one\r\nrow two\r\nrow three\r\n', '\x1b[H', lines(300, 'L')]);
});

test('cursor moves after plain text reach back into it, as on a terminal', async () => {
  await same([lines(400, 'plain'), '\x1b[5A\rchanged', '\x1b[10B\r\n', lines(3, 'after')]);
  await same([lines(30, 'few'), '\x1b[20A\rup into the head\r\n']);
  await same([lines(400, 'plain'), '\x1b[2J\x1b[Hcleared\r\n']);
});

test('C1 controls in UTF-8 are obeyed as on a terminal, not shown as text', async () => {
  await same([lines(150, 'before'), Array.from({ length: 150 }, (_, i) => `a\u009b31mb ${i}\r\n`).join('')]);
});

type Segment =
  | { kind: 'plain'; n: number; width: number }
  | { kind: 'colour' | 'progress' | 'unicode'; n: number }
  | { kind: 'up'; rows: number; newline: boolean }
  | { kind: 'partial'; text: string };

test('property: any mix of plain text, colours, progress bars, cursor moves and long lines, cut anywhere, reads as a terminal shows it', async () => {
  const fc = await import('fast-check');
  const segment: import('fast-check').Arbitrary<Segment> = fc.oneof(
    fc.record({ kind: fc.constant('plain' as const), n: fc.integer({ min: 1, max: 400 }), width: fc.integer({ min: 0, max: 1200 }) }),
    fc.record({ kind: fc.constant('colour' as const), n: fc.integer({ min: 1, max: 120 }) }),
    fc.record({ kind: fc.constant('progress' as const), n: fc.integer({ min: 1, max: 30 }) }),
    fc.record({ kind: fc.constant('up' as const), rows: fc.integer({ min: 1, max: 60 }), newline: fc.boolean() }),
    fc.record({ kind: fc.constant('unicode' as const), n: fc.integer({ min: 1, max: 60 }) }),
    fc.record({ kind: fc.constant('partial' as const), text: fc.stringMatching(/^[a-z ]{1,30}$/) }),
  );
  const render = (s: Segment, k: number): string => {
    switch (s.kind) {
      case 'plain':
        return Array.from({ length: s.n }, (_, i) => `p${k}.${i} ${'w'.repeat(i % 7 === 0 ? s.width : i % 13)}\r\n`).join('');
      case 'colour':
        return Array.from({ length: s.n }, (_, i) => `\x1b[3${i % 8}mc${k}.${i}\x1b[0m\r\n`).join('');
      case 'progress':
        return Array.from({ length: s.n }, (_, i) => `progress ${k} ${i}%\r`).join('') + '\r\n';
      case 'up':
        return `\x1b[${s.rows}Aup${k}${s.newline ? '\r\n' : ''}`;
      case 'unicode':
        return Array.from({ length: s.n }, (_, i) => `é😀€ ${k}.${i} ${'é'.repeat(i * 17)}\r\n`).join('');
      case 'partial':
        return s.text;
    }
  };
  await fc.assert(
    fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 70_000 }), fc.integer({ min: 0, max: 5 }), async (segments, cut, pauses) => {
      const bytes = Buffer.from(segments.map(render).join(''));
      const parts: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += cut) parts.push(bytes.subarray(at, at + cut));
      const c = new TerminalCapture();
      for (let i = 0; i < parts.length; i++) {
        await c.write(parts[i]!);
        // A pause now and then ends a piece there, as a slow producer does.
        if (pauses > 0 && i % Math.max(1, Math.floor(parts.length / pauses)) === 0) await new Promise((resolve) => setTimeout(resolve, 12));
      }
      assert.equal((await c.finish()).text, await reference(bytes));
    }),
    { numRuns: 30 },
  );
});

test('what follows the last newline of a piece, 1-3 bytes short of a word boundary, is read, not thrown on', async () => {
  for (const text of ['abcd\nxy', 'abcd\nx', 'abcdef\nx', 'a\nxy', 'abcd\nxy\u001b[1mz']) {
    const bytes = Buffer.alloc(Buffer.byteLength(text));
    bytes.write(text); // its own memory, from offset 0: the rest after the newline starts off a word boundary
    assert.equal(await captured([bytes]), await reference(bytes), JSON.stringify(text));
  }
});

test('plain bytes after an escape sequence cut short are the rest of it, not text (the property test found "\\x1b" then "[1Aup0")', async () => {
  // A pause after each part but the last makes it a piece of its own; the last is the final piece,
  // which may take the plain path without a newline. The parts after the ESC are all printable.
  const cases = [
    ['\x1b', '[1Aup0'],
    ['\x1b', '[', '1', 'A', 'up0'],
    ['before\r\n', '\x1b]0;title', ' still the title\x07after'],
    ['a\u00c2', '\u009b31mred'],
    [lines(200, 'plain'), '\x1b[', '2Aover\r\n' + lines(200, 'more')],
  ];
  for (const parts of cases) {
    const c = new TerminalCapture();
    for (const [i, p] of parts.entries()) {
      await c.write(Buffer.from(p));
      if (i < parts.length - 1) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal((await c.finish()).text, await reference(Buffer.from(parts.join(''))), JSON.stringify(parts).slice(0, 80));
  }
});
