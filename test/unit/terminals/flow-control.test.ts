import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowControl, DEFAULT_WATERMARKS, MIN_HIGH_WATERMARK } from '../../../main/terminals/flow-control.js';
import { DEFAULT_BATCH } from '../../../main/terminals/output-batcher.js';

const MB = 1024 * 1024;

test('pauses once the unacknowledged bytes reach the high watermark, and only once', () => {
  const flow = new FlowControl({ high: 1000, low: 100 });
  assert.equal(flow.sent(600), null);
  assert.equal(flow.room, 400, 'room left before the watermark');
  assert.equal(flow.sent(399), null);
  assert.equal(flow.paused, false);
  assert.equal(flow.sent(1), 'pause', 'a full window');
  assert.equal(flow.paused, true);
  assert.equal(flow.room, 0);
  assert.equal(flow.sent(5000), null, 'already paused: no second pause');
  assert.equal(flow.unacknowledged, 6000);
});

test('before anything is measured the window is the floor: a renderer of unknown speed is assumed slow', () => {
  const flow = new FlowControl();
  assert.equal(flow.high, MIN_HIGH_WATERMARK);
  assert.ok(MIN_HIGH_WATERMARK < DEFAULT_WATERMARKS.high / 8);
  assert.equal(flow.sent(MIN_HIGH_WATERMARK), 'pause');
  assert.ok(DEFAULT_WATERMARKS.high + DEFAULT_BATCH.maxBytes <= 8 * MB, 'at most a few MB of one terminal in flight, ever');
});

test('resumes only when acknowledgements bring it below the low watermark', () => {
  const flow = new FlowControl({ high: 1000, low: 100 });
  flow.sent(2000);
  assert.deepEqual(flow.ack(1000), { decision: null, excess: 0 });
  assert.deepEqual(flow.ack(900), { decision: null, excess: 0 }, '100 left is not below 100');
  assert.equal(flow.paused, true);
  assert.deepEqual(flow.ack(1), { decision: 'resume', excess: 0 });
  assert.equal(flow.paused, false);
  assert.equal(flow.unacknowledged, 99);
  assert.deepEqual(flow.ack(50), { decision: null, excess: 0 }, 'no resume when not paused');
});

test('an acknowledgement beyond what was sent is clamped and reported, never driving the count negative', () => {
  const flow = new FlowControl({ high: 1000, low: 100 });
  flow.sent(300);
  assert.deepEqual(flow.ack(500), { decision: null, excess: 200 });
  assert.equal(flow.unacknowledged, 0);
  // The bogus 200 bytes must not count as credit: 1001 new bytes still pause.
  assert.equal(flow.sent(1000), 'pause');
});

test('terminals are independent: one paused terminal does not pause another', () => {
  const a = new FlowControl({ high: 1000, low: 100 });
  const b = new FlowControl({ high: 1000, low: 100 });
  assert.equal(a.sent(5000), 'pause');
  assert.equal(b.sent(500), null);
  assert.equal(b.paused, false);
  assert.deepEqual(b.ack(500), { decision: null, excess: 0 });
  assert.equal(a.paused, true);
  assert.equal(a.unacknowledged, 5000);
});

test('nonsense watermarks and byte counts are refused', () => {
  assert.throws(() => new FlowControl({ high: 100, low: 100 }), /0 <= low < high/);
  assert.throws(() => new FlowControl({ high: 1.5, low: 0 }), /integer/);
  const flow = new FlowControl();
  assert.throws(() => flow.sent(-1), /non-negative integer/);
  assert.throws(() => flow.ack(Number.NaN), /non-negative integer/);
});
