import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowControl, DEFAULT_WATERMARKS } from '../../../main/terminals/flow-control.js';
import { DEFAULT_BATCH } from '../../../main/terminals/output-batcher.js';

test('defaults: one full batch can be parsed while the next gathers, and memory stays within a few MB', () => {
  assert.ok(DEFAULT_WATERMARKS.high >= 2 * DEFAULT_BATCH.maxBytes, 'room for a batch in the page and one on its way');
  assert.ok(DEFAULT_WATERMARKS.low >= DEFAULT_BATCH.maxBytes, 'resume while a whole batch is still left to parse');
  assert.ok(DEFAULT_WATERMARKS.low < DEFAULT_WATERMARKS.high);
  assert.ok(DEFAULT_WATERMARKS.high + DEFAULT_BATCH.maxBytes <= 8 * 1024 * 1024, 'at most 8 MB of one terminal in flight');
});

test('pauses once the unacknowledged bytes pass the high watermark, and only once', () => {
  const flow = new FlowControl({ high: 1000, low: 100 });
  assert.equal(flow.sent(600), null);
  assert.equal(flow.sent(400), null, 'exactly at the watermark is still fine');
  assert.equal(flow.paused, false);
  assert.equal(flow.sent(1), 'pause');
  assert.equal(flow.paused, true);
  assert.equal(flow.sent(5000), null, 'already paused: no second pause');
  assert.equal(flow.unacknowledged, 6001);
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
  assert.equal(flow.sent(1001), 'pause');
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
