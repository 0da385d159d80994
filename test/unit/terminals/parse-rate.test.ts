// Flow control sized by the renderer's speed, on a clock the test moves:
// what is measured, when, and what it makes flow control decide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseRate } from '../../../main/terminals/parse-rate.js';
import { watermarksFor, DEFAULT_WATERMARKS, MIN_HIGH_WATERMARK, BACKLOG_TARGET_MS, FlowControl } from '../../../main/terminals/flow-control.js';

const MB = 1024 * 1024;
const KB = 1024;

/** Flow control on a clock the test moves. */
function timedFlow(watermarks = DEFAULT_WATERMARKS): { flow: FlowControl; at: (ms: number) => void } {
  let now = 0;
  return { flow: new FlowControl(watermarks, () => now), at: (ms) => (now = ms) };
}

test('the rate is what the renderer parsed per millisecond it was busy, not per millisecond of the flood', () => {
  const { flow, at } = timedFlow();
  assert.equal(flow.rate, null);
  flow.sent(2 * MB);
  at(700);
  flow.ack(2 * MB); // 2 MB in 700 ms
  assert.equal(flow.rate, (2 * MB) / 0.7);
  // The producer is slow: the renderer waits 5 s for the next batch. That wait is not parsing time.
  at(5700);
  flow.sent(2 * MB);
  at(6400);
  flow.ack(2 * MB);
  assert.equal(flow.rate, (2 * MB) / 0.7);
});

test('back to back batches: each is timed from the previous acknowledgement', () => {
  const { flow, at } = timedFlow();
  flow.sent(MB);
  at(10);
  flow.sent(MB); // queued while the first is parsed
  at(500);
  flow.ack(MB); // 1 MB in 500 ms
  at(1000);
  flow.ack(MB); // the second took 500 ms from the first ack, not 990 from its send
  assert.equal(flow.rate, 2 * MB);
});

test('an idle machine\'s small batches are measured: acknowledgements of one busy spell add up', () => {
  // What failed on an idle machine: `yes` reached the host in 4 KB reads, 30 KB a 5 ms window,
  // and a page parsing 3 MB/s acknowledged each batch; no single one was large enough to count,
  // so nothing was ever measured and the page was sent the full 4 MB.
  const { flow, at } = timedFlow();
  const batch = 30 * KB;
  const parseMs = (batch / (3 * MB)) * 1000; // 10 ms
  let sentAt = 0;
  let ackAt = 0;
  for (let i = 0; i < 40; i++) {
    // A batch every 5 ms while the page parses one every 10 ms: it never runs out of work.
    at(sentAt);
    flow.sent(batch);
    sentAt += 5;
    if (sentAt >= ackAt + parseMs) {
      ackAt += parseMs;
      at(ackAt);
      flow.ack(batch);
    }
  }
  assert.ok(flow.rate !== null, 'measured');
  assert.ok(Math.abs(flow.rate - 3 * MB) / (3 * MB) < 0.01, `3 MB/s, measured ${(flow.rate / MB).toFixed(2)} MB/s`);
  assert.equal(flow.high, Math.round((3 * MB * BACKLOG_TARGET_MS) / 1000), 'the window holds BACKLOG_TARGET_MS of this renderer');
});

test('samples: acknowledgements of one busy spell add up to a sample; a spell that ends short is dropped', () => {
  const rate = new ParseRate({ minSampleBytes: 1000, decay: 0.5 });
  assert.equal(rate.bytesPerSecond, null);
  rate.busy(10, 5);
  rate.idle();
  rate.busy(600, 5);
  rate.idle();
  assert.equal(rate.bytesPerSecond, null, 'an echo and a short listing: the renderer caught up, nothing measured');
  rate.busy(5000, 0);
  assert.equal(rate.bytesPerSecond, null, 'bytes without busy time are no sample yet');
  rate.busy(400, 10);
  assert.equal(rate.bytesPerSecond, 540_000, '5400 bytes in 10 ms');
  rate.idle();
  rate.busy(1000, 4); // 250 000 B/s: slower, but within a factor of three: noise, averaged
  assert.equal(rate.bytesPerSecond, ((5400 * 0.5 + 1000) / (10 * 0.5 + 4)) * 1000);
  rate.idle();
  for (let i = 0; i < 4; i++) rate.busy(250, 10); // small acknowledgements, back to back: one sample of 1000 bytes in 40 ms
  assert.equal(rate.bytesPerSecond, 25_000, 'over three times slower: another kind of output, believed at once');
  rate.idle();
  rate.busy(2000, 1); // 2 MB/s: faster; believed only as far as the estimate follows it
  assert.equal(rate.bytesPerSecond, ((1000 * 0.5 + 2000) / (40 * 0.5 + 1)) * 1000);
});

test('a renderer that runs out of work because the pty was paused is still in the same spell; after a long gap it is not', () => {
  // Windows of 16 KB, a quarter of a sample: only spells that go on across the refills are ever measured.
  const window = { high: 16 * KB, low: 12 * KB };
  const rounds = (gapMs: number): FlowControl => {
    const { flow, at } = timedFlow(window);
    let now = 0;
    for (let round = 0; round < 4; round++) {
      at(now);
      assert.equal(flow.sent(window.high), 'pause');
      now += ((window.high / (0.25 * MB)) * 1000); // parsed at 0.25 MB/s
      at(now);
      assert.equal(flow.ack(window.high).decision, 'resume');
      now += gapMs; // the pty is read again and the next batch arrives
    }
    return flow;
  };
  const refilled = rounds(20);
  assert.ok(refilled.rate !== null, 'four windows cut short by flow control add up to a sample');
  assert.ok(Math.abs(refilled.rate - 0.25 * MB) / (0.25 * MB) < 0.01, `0.25 MB/s, the refills left out (measured ${(refilled.rate / MB).toFixed(3)})`);
  assert.equal(rounds(5000).rate, null, 'output that stops and comes back seconds later: separate spells, each too short');
});

test('an ack beyond what was sent counts only what was, in the rate too', () => {
  const { flow, at } = timedFlow({ high: 1000, low: 100 });
  flow.sent(500);
  at(10);
  assert.deepEqual(flow.ack(999_999), { decision: null, excess: 999_499 });
  assert.equal(flow.rate, null, '500 bytes are no sample');
});

test('watermarks hold about BACKLOG_TARGET_MS of parsing, within bounds; the floor before any measurement', () => {
  const lowShare = DEFAULT_WATERMARKS.low / DEFAULT_WATERMARKS.high;
  const floor = { high: MIN_HIGH_WATERMARK, low: Math.round(MIN_HIGH_WATERMARK * lowShare) };
  assert.deepEqual(watermarksFor(null), floor, 'nothing measured: assume a slow renderer');
  assert.deepEqual(watermarksFor(40 * MB), DEFAULT_WATERMARKS, 'fast output gets the configured watermarks');
  const yes = watermarksFor(2 * MB);
  assert.equal(yes.high, Math.round((2 * MB * BACKLOG_TARGET_MS) / 1000));
  assert.equal(yes.low, Math.round(yes.high * lowShare), 'low keeps its proportion to high');
  assert.deepEqual(watermarksFor(100 * 1024), floor, 'never below the floor');
  const custom = { high: 1000, low: 100 };
  assert.deepEqual(watermarksFor(1e12, custom), custom, 'never above the configured ceiling');
  assert.deepEqual(watermarksFor(null, custom), custom, 'a ceiling below the floor is kept');
});

test('two full batches fill the window and the first acknowledged resumes the pty, at every renderer speed', () => {
  // OutputFlow cuts batches at half the high watermark.
  for (const bytesPerSecond of [null, 0.5 * MB, 2.5 * MB, 7 * MB, 15 * MB, 40 * MB]) {
    const { high, low } = watermarksFor(bytesPerSecond);
    const batch = Math.ceil(high / 2);
    assert.ok(2 * batch >= high, `${bytesPerSecond} B/s: two batches reach the high watermark (${high})`);
    assert.ok(high - batch < low, `${bytesPerSecond} B/s: one batch left (${high - batch}) is below the low watermark (${low}): the next is read while it is parsed`);
  }
});

test('a new spell starts at the floor and grows with what the renderer gets through, whatever was measured before', () => {
  const { flow, at } = timedFlow();
  // Measured fast before: coloured text at 30 MB/s.
  flow.sent(2 * MB);
  at(70);
  flow.ack(2 * MB);
  assert.ok(flow.rate! > 25 * MB);
  // A new command's output: the first window is the floor, not 4 MB.
  at(5000);
  assert.equal(flow.sent(MIN_HIGH_WATERMARK / 2), null);
  assert.equal(flow.high, MIN_HIGH_WATERMARK, 'a new spell starts at the floor');
  assert.equal(flow.sent(MIN_HIGH_WATERMARK / 2), 'pause');
  at(5004);
  flow.ack(MIN_HIGH_WATERMARK / 2); // parsed at 30 MB/s, as before: the window grows
  assert.equal(flow.high, MIN_HIGH_WATERMARK + MIN_HIGH_WATERMARK, 'floor plus twice what was acknowledged');
});

/** A flow control that measured a 30 MB/s renderer and is in a spell that has grown to the ceiling. */
function fastAndGrown(): { flow: FlowControl; at: (ms: number) => void; now: number } {
  const { flow, at } = timedFlow();
  let now = 0;
  // Batches of 1 MB, each acknowledged 35 ms after the previous acknowledgement (30 MB/s), one always waiting.
  flow.sent(MB);
  for (let i = 0; i < 8; i++) {
    flow.sent(MB);
    now += 35;
    at(now);
    flow.ack(MB);
  }
  assert.ok(flow.rate! > 25 * MB, `measured fast (${(flow.rate! / MB).toFixed(1)} MB/s)`);
  assert.deepEqual({ high: flow.high, low: flow.low }, DEFAULT_WATERMARKS, 'the window grew to the ceiling');
  return { flow, at, now };
}

test('a renderer late with its oldest batch lowers the watermarks before it acknowledges anything', () => {
  const { flow, at, now } = fastAndGrown();
  // Then output that parses at 1 MB/s: 1 MB outstanding, and the page has not finished it 500 ms later.
  flow.sent(MB);
  at(now + 500);
  flow.sent(64 * KB);
  assert.ok(flow.high < DEFAULT_WATERMARKS.high / 4, `lowered to ${flow.high} though nothing was acknowledged`);
  assert.equal(flow.paused, true, 'and the 2 MB outstanding are past it: paused');
});

test('an acknowledgement that shows a slower renderer can pause the pty', () => {
  const { flow, at, now } = fastAndGrown();
  flow.sent(MB);
  assert.equal(flow.paused, false, `${flow.unacknowledged} outstanding, under ${flow.high}`);
  at(now + 1000);
  const { decision } = flow.ack(MB); // a MB took a second: far slower than measured
  assert.equal(decision, 'pause');
  assert.ok(flow.unacknowledged >= flow.high, `${flow.unacknowledged} outstanding, high now ${flow.high}`);
});
