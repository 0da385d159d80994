import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseRate } from '../../../main/terminals/parse-rate.js';
import { watermarksFor, DEFAULT_WATERMARKS, MIN_HIGH_WATERMARK, BACKLOG_TARGET_MS, FlowControl } from '../../../main/terminals/flow-control.js';

const MB = 1024 * 1024;

/** Flow control on a clock the test moves. */
function timedFlow(watermarks = DEFAULT_WATERMARKS): { flow: FlowControl; at: (ms: number) => void } {
  let now = 0;
  return { flow: new FlowControl(watermarks, () => now), at: (ms) => (now = ms) };
}

test('the rate is what the renderer parsed per millisecond it was busy, not per millisecond of the flood', () => {
  const { flow, at } = timedFlow();
  assert.equal(flow.share, 1, 'nothing measured yet: the configured watermarks');
  flow.sent(2 * MB);
  at(700);
  flow.ack(2 * MB); // 2 MB in 700 ms: about 2.9 MB/s
  const slow = flow.high;
  assert.equal(slow, watermarksFor((2 * MB) / 0.7).high);
  // The producer is slow: the renderer waits 5 s for the next batch. That wait is not parsing time.
  at(5700);
  flow.sent(2 * MB);
  at(6400);
  flow.ack(2 * MB);
  assert.equal(flow.high, slow);
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
  assert.equal(flow.high, watermarksFor(MB / 0.5).high);
});

test('samples: small ones (echoes) are ignored, large ones averaged with decaying weight', () => {
  const rate = new ParseRate({ minSampleBytes: 1000, decay: 0.5 });
  assert.equal(rate.bytesPerSecond, null);
  rate.sample(10, 5);
  rate.sample(5000, 0);
  assert.equal(rate.bytesPerSecond, null, 'an echo, and a sample without busy time, are no samples');
  rate.sample(2000, 10);
  assert.equal(rate.bytesPerSecond, 200_000, '2000 bytes in 10 ms');
  rate.sample(2000, 30);
  assert.equal(rate.bytesPerSecond, ((2000 * 0.5 + 2000) / (10 * 0.5 + 30)) * 1000);
});

test('an ack beyond what was sent counts only what was, in the rate too', () => {
  const { flow, at } = timedFlow({ high: 1000, low: 100 });
  flow.sent(500);
  at(10);
  assert.deepEqual(flow.ack(999_999), { decision: null, excess: 999_499 });
  assert.equal(flow.share, 1, '500 bytes are no sample: the watermarks stay');
});

test('watermarks hold about BACKLOG_TARGET_MS of parsing, within bounds, and the configured ones before any measurement', () => {
  assert.deepEqual(watermarksFor(null), DEFAULT_WATERMARKS);
  assert.deepEqual(watermarksFor(40 * MB), DEFAULT_WATERMARKS, 'fast output keeps the configured watermarks');
  const yes = watermarksFor(7 * MB);
  assert.equal(yes.high, Math.round((7 * MB * BACKLOG_TARGET_MS) / 1000));
  const lowShare = DEFAULT_WATERMARKS.low / DEFAULT_WATERMARKS.high;
  assert.equal(yes.low, Math.round(yes.high * lowShare), 'low keeps its proportion to high');
  assert.deepEqual(watermarksFor(100 * 1024), { high: MIN_HIGH_WATERMARK, low: Math.round(MIN_HIGH_WATERMARK * lowShare) }, 'never below the floor');
  const custom = { high: 1000, low: 100 };
  assert.deepEqual(watermarksFor(1e12, custom), custom, 'never above the configured ceiling');
});

test('lowered watermarks pause at the next send; raised ones resume at the next acknowledgement', () => {
  const { flow, at } = timedFlow();
  flow.sent(MB);
  at(1000);
  assert.deepEqual(flow.ack(MB), { decision: null, excess: 0 }); // 1 MB/s: the floor
  assert.equal(flow.high, MIN_HIGH_WATERMARK);
  flow.sent(MIN_HIGH_WATERMARK);
  assert.equal(flow.sent(1), 'pause', 'past the lowered high watermark');
  flow.sent(4 * MB - 1); // what was read before the pause took effect
  // Now the renderer is fast: 256 KB a millisecond. The watermarks grow back, and the
  // resume comes while far more is outstanding than the floor's low watermark allows.
  let now = 1000;
  let result;
  do {
    at(++now);
    result = flow.ack(MIN_HIGH_WATERMARK / 2);
  } while (result.decision === null && flow.unacknowledged > 0);
  assert.equal(result.decision, 'resume');
  assert.ok(flow.unacknowledged >= MIN_HIGH_WATERMARK / 2, `resumed with ${flow.unacknowledged} outstanding`);
  assert.equal(flow.share, 1, 'back to the configured watermarks');
});
