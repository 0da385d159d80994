// Flow control sized by how fast the renderer parses (parse-rate.ts,
// watermarksFor): a renderer that gets through `yes` slowly is sent less at a
// time, so the prompt after Ctrl+C waits behind less; a fast one gets the
// configured watermarks back. Real pty, real hub; the "renderer" is a Node
// client that acknowledges each batch as a parser of a given speed would.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_WATERMARKS, MIN_HIGH_WATERMARK } from '../../../main/terminals/flow-control.js';
import { DEFAULT_BATCH } from '../../../main/terminals/output-batcher.js';
import { rendererFor } from './hub-client.js';

/** A pty read is at most this long; a batch may pass its limit by one read. */
const READ_SLACK = 64 * 1024;

test('a slow renderer is sent less at a time; a fast one gets the full watermarks back', async (t) => {
  const r = rendererFor(t, { settings: { shell: '/bin/sh', shellArgs: [] } });
  r.autoAck = false;
  const id = r.create();
  const view = r.terminals.get(id)!;
  await r.waitFor(() => view.created, 'term.created');
  await r.waitForText(id, /[$#] $/, 10_000);
  r.ackAll(id);

  // A parser of 2 MB/s: each batch is acknowledged after bytes / 2 MB/s, one after another.
  // Whatever the machine, it is not faster than that, and 150 ms of it is below the floor: the host must settle there.
  const bytesPerMs = (2 * 1024 * 1024) / 1000;
  let parserFreeAt = 0;
  let slow = true;
  let slowPending = 0;
  let maxOutstanding = 0;
  let largestBatchAfterSettling = 0;
  let settledAt: number | null = null;
  const seen = new Set<unknown>();
  const onData = (): void => {
    for (const m of r.messages) {
      if (m.type !== 'term.data' || m.id !== id || seen.has(m)) continue;
      seen.add(m);
      const bytes = m.data.byteLength;
      maxOutstanding = Math.max(maxOutstanding, view.received - view.acknowledged);
      if (settledAt !== null && view.received > settledAt) largestBatchAfterSettling = Math.max(largestBatchAfterSettling, bytes);
      if (!slow) {
        r.ack(id, bytes);
        continue;
      }
      const start = Math.max(performance.now(), parserFreeAt);
      parserFreeAt = start + bytes / bytesPerMs;
      slowPending++;
      setTimeout(() => {
        slowPending--;
        r.ack(id, bytes);
      }, parserFreeAt - performance.now());
    }
  };
  const poll = setInterval(onData, 1);
  t.after(() => clearInterval(poll));

  r.type(id, 'yes\n');
  // Let the host measure a few acknowledged batches, then watch what it sends.
  await r.waitFor(() => view.acknowledged > 3 * 1024 * 1024, 'three MB acknowledged', 60_000);
  settledAt = view.received;
  maxOutstanding = 0;
  await r.waitFor(() => view.acknowledged > settledAt! + 2 * 1024 * 1024, 'two more MB acknowledged', 60_000);
  process.stdout.write(`# slow renderer: at most ${(maxOutstanding / 1024).toFixed(0)} KB outstanding, batches up to ${(largestBatchAfterSettling / 1024).toFixed(0)} KB\n`);
  assert.ok(largestBatchAfterSettling <= MIN_HIGH_WATERMARK / 2 + READ_SLACK, `batches shrank to half the floor (largest ${largestBatchAfterSettling})`);
  assert.ok(maxOutstanding <= MIN_HIGH_WATERMARK + MIN_HIGH_WATERMARK / 2 + 2 * READ_SLACK, `at most the floor and one batch outstanding (${maxOutstanding})`);

  // The renderer catches up and acknowledges at once: the host goes back to the configured watermarks.
  slow = false;
  await r.waitFor(() => slowPending === 0, 'the slow acknowledgements to drain', 60_000);
  settledAt = view.received + 8 * 1024 * 1024;
  largestBatchAfterSettling = 0;
  await r.waitFor(() => view.received > settledAt! + 16 * 1024 * 1024, '16 more MB', 60_000);
  r.type(id, '\x03');
  assert.ok(largestBatchAfterSettling > MIN_HIGH_WATERMARK, `batches grew again (largest ${largestBatchAfterSettling})`);
  assert.ok(largestBatchAfterSettling <= DEFAULT_BATCH.maxBytes + READ_SLACK);
  assert.ok(DEFAULT_WATERMARKS.high > MIN_HIGH_WATERMARK);
});
