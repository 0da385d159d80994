import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowControl, DEFAULT_WATERMARKS, watermarksFor } from '../../../main/terminals/flow-control.js';
import { DEFAULT_BATCH } from '../../../main/terminals/output-batcher.js';

const MB = 1024 * 1024;
/** A batch goes out with the pty read that took it past the batcher's limit: it may pass the limit by up to one read (Node reads at most 64 KB). */
const READ = 64 * 1024;

test('defaults: two full batches pause the pty, and acknowledging the first resumes it, so the page is never left waiting for a whole batch', () => {
  const flow = new FlowControl();
  const batch = DEFAULT_BATCH.maxBytes + READ - 1;
  assert.equal(flow.sent(batch), null);
  assert.equal(flow.sent(batch), 'pause', 'one batch in the parser and one waiting: enough');
  assert.deepEqual(flow.ack(batch), { decision: 'resume', excess: 0 }, 'one batch left to parse: read the next while it is parsed');
  assert.ok(DEFAULT_WATERMARKS.high + DEFAULT_BATCH.maxBytes + READ <= 8 * MB, 'at most 8 MB of one terminal in flight');
});

test('for a slow renderer too: the batch limit follows the watermarks, and one acknowledged batch resumes the pty', () => {
  for (const bytesPerSecond of [0.5 * MB, 2.5 * MB, 7 * MB, 15 * MB, 40 * MB]) {
    const { high, low } = watermarksFor(bytesPerSecond);
    // TerminalProcess scales the batcher by flow control's share (high / configured high).
    const batch = Math.floor(DEFAULT_BATCH.maxBytes * (high / DEFAULT_WATERMARKS.high)) + READ - 1;
    const flow = new FlowControl({ high, low });
    flow.sent(batch);
    assert.equal(flow.sent(batch), 'pause', `${bytesPerSecond / MB} MB/s: two batches pass the high watermark (${high})`);
    assert.equal(flow.ack(batch).decision, 'resume', `${bytesPerSecond / MB} MB/s: one batch (${batch}) is below the low watermark (${low})`);
  }
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
