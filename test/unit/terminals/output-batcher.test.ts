import { mock, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { OutputBatcher } from '../../../main/terminals/output-batcher.js';

test('after a quiet spell the first chunk goes at once; the next ones are joined, bytes intact', async () => {
  const batches: Buffer[] = [];
  let second!: () => void;
  const done = new Promise<void>((resolve) => (second = resolve));
  const b = new OutputBatcher((batch) => {
    batches.push(batch);
    if (batches.length === 2) second();
  }, { delayMs: 5, maxDelayMs: 5, floodBytes: 1 << 20, maxBytes: 1024, afterInputMs: 0 });
  b.push(Buffer.from('k'));
  assert.equal(batches.length, 1, 'an echo after idle is not held back by the batching delay');
  b.push(Buffer.from([0xe2, 0x82]));
  b.push(Buffer.from([0xac, 0x1b]));
  b.push(Buffer.from('[0m'));
  assert.equal(batches.length, 1, 'chunks inside the window wait for company');
  await done;
  assert.deepEqual(batches[0], Buffer.from('k'));
  assert.deepEqual(batches[1], Buffer.from([0xe2, 0x82, 0xac, 0x1b, 0x5b, 0x30, 0x6d]));
  b.dispose();
});

test('flushes at once when a batch reaches the size limit', () => {
  const batches: Buffer[] = [];
  const b = new OutputBatcher((batch) => batches.push(batch), { delayMs: 60_000, maxDelayMs: 60_000, floodBytes: 1 << 20, maxBytes: 100, afterInputMs: 0 });
  b.push(Buffer.alloc(1, 0)); // opens the window
  b.push(Buffer.alloc(60, 1));
  assert.equal(batches.length, 1);
  b.push(Buffer.alloc(60, 2));
  assert.equal(batches.length, 2, 'no waiting for the timer');
  assert.equal(batches[1]!.length, 100);
  b.dispose();
  assert.equal(batches.length, 3, 'dispose sends what was left');
  assert.equal(batches[2]!.length, 20);
  b.push(Buffer.alloc(10));
  assert.equal(batches.length, 3, 'nothing after dispose');
});

test('the size limit follows flow control down and back up, never past the configured one; batches are cut at exactly the limit', () => {
  const batches: Buffer[] = [];
  const b = new OutputBatcher((batch) => batches.push(batch), { delayMs: 60_000, maxDelayMs: 60_000, floodBytes: 1 << 20, maxBytes: 100, afterInputMs: 0 });
  b.push(Buffer.alloc(1)); // opens the window
  b.limitBytes(30);
  b.push(Buffer.alloc(20));
  assert.equal(batches.length, 1);
  b.push(Buffer.from('0123456789abcdefghij'));
  assert.equal(batches.length, 2, 'flushed at the lowered limit');
  assert.equal(batches[1]!.length, 30, 'cut at exactly the limit, not one chunk past it');
  assert.equal(b.pendingBytes, 10, 'the rest waits for the window');
  b.limitBytes(1000);
  for (let i = 0; i < 4; i++) b.push(Buffer.alloc(20));
  assert.equal(batches.length, 2, '90 bytes: below the configured 100');
  b.push(Buffer.alloc(20));
  assert.equal(batches.length, 3, 'raised back only as far as the configured limit');
  assert.equal(batches[2]!.length, 100);
  b.dispose();
  const all = Buffer.concat(batches);
  assert.equal(all.length, 1 + 20 + 20 + 80 + 20);
  assert.equal(all.subarray(21, 41).toString(), '0123456789abcdefghij', 'a cut chunk keeps its bytes in order');
});

test('never more than flow control has room for: the rest waits in the host until there is room again', (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const batches: Buffer[] = [];
  let room = 50;
  const b = new OutputBatcher((batch) => {
    batches.push(batch);
    room -= batch.byteLength;
  }, { delayMs: 5, maxDelayMs: 5, floodBytes: 1 << 20, maxBytes: 1000, afterInputMs: 0 }, { backlog: () => 0, room: () => room });
  b.push(Buffer.alloc(80, 1)); // after quiet: goes at once, but only what fits
  assert.deepEqual(batches.map((x) => x.length), [50]);
  assert.equal(b.pendingBytes, 30);
  mock.timers.tick(5);
  assert.equal(batches.length, 1, 'no room: the window ends without sending');
  b.hold();
  room = 100; // the page acknowledged
  b.release();
  assert.deepEqual(batches.map((x) => x.length), [50, 30], 'the resume sends what waited');
  b.dispose();
});

test('a receiver that is behind makes it a flood, however little each window gathers', (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  let backlog = 0;
  const batches: Buffer[] = [];
  const b = new OutputBatcher((batch) => batches.push(batch), { delayMs: 5, maxDelayMs: 40, floodBytes: 100, maxBytes: 10_000, afterInputMs: 0 }, { backlog: () => backlog, room: () => Infinity });
  const windows: number[] = [];
  b.push(Buffer.alloc(10));
  for (let i = 0; i < 5; i++) {
    b.push(Buffer.alloc(10)); // a trickle: far below floodBytes per window
    windows.push(b.windowMs);
    mock.timers.tick(b.windowMs);
  }
  assert.deepEqual(windows, [5, 5, 5, 5, 5], 'a trickle to a receiver that keeps up: short windows');
  backlog = 500; // the page has 500 bytes of earlier batches left to parse
  windows.length = 0;
  for (let i = 0; i < 5; i++) {
    b.push(Buffer.alloc(10));
    windows.push(b.windowMs);
    mock.timers.tick(b.windowMs);
  }
  assert.deepEqual(windows, [5, 10, 20, 40, 40], 'the same trickle to a receiver that is behind: the window grows');
  b.dispose();
});

test('for a while after input the window stays short and a resume sends at once: the prompt after Ctrl+C does not wait for a flood window', (t) => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  t.after(() => mock.timers.reset());
  const clock = { now: () => Date.now(), setTimeout: (f: () => void, ms: number) => setTimeout(f, ms), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };
  const batches: Buffer[] = [];
  let room = Infinity;
  const b = new OutputBatcher((batch) => batches.push(batch), { delayMs: 5, maxDelayMs: 40, floodBytes: 100, maxBytes: 10_000, afterInputMs: 1000 }, { backlog: () => 0, room: () => room }, clock);
  const floodFor = (windows: number): void => {
    for (let i = 0; i < windows; i++) {
      b.push(Buffer.alloc(150));
      b.push(Buffer.alloc(150));
      mock.timers.tick(b.windowMs);
    }
  };
  b.push(Buffer.alloc(1));
  floodFor(4);
  assert.equal(b.windowMs, 40, 'a flood grew the window');
  b.inputWritten(); // Ctrl+C
  b.push(Buffer.alloc(150)); // the echo goes at once
  floodFor(4); // the rest of the flood, still coming
  assert.equal(b.windowMs, 5, 'within a second of input the window does not grow again');
  room = 0; // the page is a window behind: flow control pauses the pty
  b.hold();
  mock.timers.tick(5);
  b.push(Buffer.from('$ ')); // the prompt, read just before the pause took effect
  const sent = batches.length;
  room = Infinity;
  b.release();
  assert.equal(batches.length, sent + 1, 'the resume sends the prompt at once');
  assert.deepEqual(batches.at(-1), Buffer.from('$ '));
  mock.timers.tick(1000);
  floodFor(4);
  assert.ok(b.windowMs > 5, 'a second later a flood grows the window again');
  b.dispose();
});

test('the echo of input written inside a window goes at once; what follows it waits for the window again', () => {
  const batches: Buffer[] = [];
  const b = new OutputBatcher((batch) => batches.push(batch), { delayMs: 60_000, maxDelayMs: 60_000, floodBytes: 1 << 20, maxBytes: 1024, afterInputMs: 0 });
  b.push(Buffer.from('a')); // an echo after idle: opens a window that will not end during this test
  assert.equal(batches.length, 1);
  b.push(Buffer.from('-noise-'));
  assert.equal(batches.length, 1, 'output inside the window waits');
  b.inputWritten();
  b.push(Buffer.from('b'));
  assert.equal(batches.length, 2, 'the echo of a key typed inside the window is not held back');
  assert.deepEqual(batches[1], Buffer.from('-noise-b'), 'and it takes what was waiting with it, in order');
  b.push(Buffer.from('c'));
  assert.equal(batches.length, 2, 'only the first chunk after input skips the window');
  b.dispose();
  assert.deepEqual(batches[2], Buffer.from('c'));
});

/** A batcher with small numbers, driven by fake timers (for this test only): 150-byte chunks are a flood (floodBytes 100), the window grows 5 → 40 ms. */
function floodRig(t: TestContext): { b: OutputBatcher; batches: Buffer[]; flood: () => void; grow: (windows: number) => void } {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const batches: Buffer[] = [];
  const b = new OutputBatcher((batch) => batches.push(batch), { delayMs: 5, maxDelayMs: 40, floodBytes: 100, maxBytes: 10_000, afterInputMs: 0 });
  const flood = (): void => b.push(Buffer.alloc(150, 0x79));
  const grow = (windows: number): void => {
    for (let i = 0; i < windows; i++) {
      flood();
      mock.timers.tick(b.windowMs);
    }
  };
  return { b, batches, flood, grow };
}

test('in a flood the window doubles up to its limit; a light window or input makes it short again', (t) => {
  const { b, batches, flood, grow } = floodRig(t);
  flood(); // after quiet: sent at once, opens a 5 ms window
  const windows: number[] = [];
  for (let i = 0; i < 6; i++) {
    flood(); // fills the window past floodBytes
    const sent = batches.length;
    mock.timers.tick(b.windowMs - 1);
    assert.equal(batches.length, sent, 'nothing goes before the window ends');
    windows.push(b.windowMs);
    mock.timers.tick(1);
    assert.equal(batches.length, sent + 1, 'the window ends with one batch');
  }
  assert.deepEqual(windows, [5, 10, 20, 40, 40, 40], 'each full window doubles the next, up to maxDelayMs');
  const total = batches.reduce((n, x) => n + x.length, 0);
  assert.equal(total, 150 * 7, 'every byte went out');
  // A light window: the next one is short.
  b.push(Buffer.alloc(10));
  mock.timers.tick(40);
  assert.equal(b.windowMs, 5);
  // Input in a flood: its echo goes at once and the window is short again.
  grow(3);
  assert.ok(b.windowMs > 5, 'the flood grew the window again');
  b.inputWritten();
  assert.equal(b.windowMs, 5);
  const before = batches.length;
  b.push(Buffer.from('c'));
  assert.equal(batches.length, before + 1, 'the echo is not held back by the long window');
  b.dispose();
});

test('a flow-control pause keeps the flood window; after the resume the flood goes on in full windows, not a trickle', (t) => {
  const { b, batches, flood, grow } = floodRig(t);
  flood();
  grow(4);
  assert.equal(b.windowMs, 40, 'the flood grew the window to its limit');
  // The page falls behind: the pty is paused, and windows end with nothing in them.
  b.hold();
  mock.timers.tick(40);
  mock.timers.tick(40);
  assert.equal(b.windowMs, 40, 'windows that gathered nothing while paused do not shrink the next one');
  b.release();
  const sent = batches.length;
  flood();
  assert.equal(batches.length, sent, 'the first chunk after the resume waits for company');
  flood();
  mock.timers.tick(39);
  assert.equal(batches.length, sent, 'the resumed flood fills a whole window');
  mock.timers.tick(1);
  assert.equal(batches.length, sent + 1);
  assert.equal(batches.at(-1)!.length, 300, 'both chunks in one batch');
  // Paused again, resumed, and then the output stops: the window ends light,
  // and what comes after the quiet spell goes at once.
  b.hold();
  mock.timers.tick(40);
  b.release();
  mock.timers.tick(40);
  assert.equal(b.windowMs, 5, 'an empty window after the resume ends the flood');
  const quiet = batches.length;
  b.push(Buffer.from('$ '));
  assert.equal(batches.length, quiet + 1, 'the prompt after the flood is not held back');
  b.dispose();
});

test('a resume after light output, or input right after a resume in a flood, still sends at once', (t) => {
  const { b, batches, flood, grow } = floodRig(t);
  // Light output: the window is short; a pause and resume change nothing.
  b.push(Buffer.from('a'));
  mock.timers.tick(5);
  b.hold();
  b.release();
  b.push(Buffer.from('b'));
  assert.equal(batches.length, 2, 'after a quiet spell the chunk goes at once, paused or not');
  // A flood is paused, resumed (which opens a flood-long window), and the user types at once.
  flood();
  grow(4);
  b.hold();
  mock.timers.tick(40);
  b.release();
  assert.equal(b.windowMs, 40, 'the resume continues the flood');
  b.inputWritten();
  const before = batches.length;
  b.push(Buffer.from('c'));
  assert.equal(batches.length, before + 1, 'the echo is not held back by the window the resume opened');
  assert.deepEqual(batches.at(-1), Buffer.from('c'));
  b.dispose();
});
