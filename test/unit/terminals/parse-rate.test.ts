import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseRate } from '../../../main/terminals/parse-rate.js';
import { watermarksFor, DEFAULT_WATERMARKS, MIN_HIGH_WATERMARK, BACKLOG_TARGET_MS, FlowControl } from '../../../main/terminals/flow-control.js';

const MB = 1024 * 1024;

test('the rate is what the renderer parsed per millisecond it was busy, not per millisecond of the flood', () => {
  const rate = new ParseRate({ minSampleBytes: 1000, decay: 0.5 });
  assert.equal(rate.bytesPerSecond, null, 'nothing measured yet');
  rate.sent(2 * MB, 0);
  rate.acked(2 * MB, 100); // 2 MB in 100 ms
  assert.equal(rate.bytesPerSecond, 20 * MB);
  // The producer is slow: the renderer waits 900 ms for the next batch. That wait is not parsing time.
  rate.sent(2 * MB, 1000);
  rate.acked(2 * MB, 1100);
  assert.equal(rate.bytesPerSecond, 20 * MB);
});

test('back to back batches: each is timed from the previous acknowledgement', () => {
  const rate = new ParseRate({ minSampleBytes: 1000, decay: 0 }); // no memory: the last sample only
  rate.sent(MB, 0);
  rate.sent(MB, 10); // queued while the first is parsed
  rate.acked(MB, 100);
  assert.equal(rate.bytesPerSecond, 10 * MB);
  rate.acked(MB, 400); // the second took 300 ms from the first ack
  assert.equal(Math.round(rate.bytesPerSecond!), Math.round(MB / 0.3));
});

test('small acknowledgements (echoes) are no samples, and an ack beyond what was sent counts only what was', () => {
  const rate = new ParseRate({ minSampleBytes: 1000, decay: 0.5 });
  rate.sent(10, 0);
  rate.acked(10, 5);
  assert.equal(rate.bytesPerSecond, null);
  rate.sent(2000, 10);
  rate.acked(999_999, 20);
  assert.equal(rate.bytesPerSecond, 200_000, '2000 bytes in 10 ms');
});

test('watermarks hold about BACKLOG_TARGET_MS of parsing, within bounds, and the configured ones before any measurement', () => {
  assert.deepEqual(watermarksFor(null), DEFAULT_WATERMARKS);
  assert.deepEqual(watermarksFor(40 * MB), DEFAULT_WATERMARKS, 'fast output keeps the configured watermarks');
  const yes = watermarksFor(7 * MB);
  assert.equal(yes.high, Math.round((7 * MB * BACKLOG_TARGET_MS) / 1000));
  assert.equal(yes.low, Math.round(yes.high / 2), 'low keeps its proportion to high');
  assert.deepEqual(watermarksFor(100 * 1024), { high: MIN_HIGH_WATERMARK, low: MIN_HIGH_WATERMARK / 2 }, 'never below the floor');
  const custom = { high: 1000, low: 100 };
  assert.deepEqual(watermarksFor(1e12, custom), custom, 'never above the configured ceiling');
});

test('lowered watermarks pause at the next send; raised ones resume at the next acknowledgement', () => {
  const flow = new FlowControl({ high: 4000, low: 2000 });
  assert.equal(flow.sent(3000), null);
  flow.setWatermarks({ high: 1000, low: 500 });
  assert.equal(flow.sent(1), 'pause');
  assert.deepEqual(flow.ack(2000), { decision: null, excess: 0 }, '1001 left is not below 500');
  flow.setWatermarks({ high: 4000, low: 2000 });
  assert.deepEqual(flow.ack(1), { decision: 'resume', excess: 0 });
  assert.throws(() => flow.setWatermarks({ high: 10, low: 10 }), /0 <= low < high/);
});
