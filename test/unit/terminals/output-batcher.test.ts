import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputBatcher } from '../../../main/terminals/output-batcher.js';

test('joins small chunks into one batch after the delay, bytes intact', async () => {
  const batches: Buffer[] = [];
  const done = new Promise<void>((resolve) => {
    const b = new OutputBatcher((batch) => {
      batches.push(batch);
      resolve();
    }, { delayMs: 5, maxBytes: 1024 });
    b.push(Buffer.from([0xe2, 0x82]));
    b.push(Buffer.from([0xac, 0x1b]));
    b.push(Buffer.from('[0m'));
  });
  await done;
  assert.equal(batches.length, 1);
  assert.deepEqual(batches[0], Buffer.from([0xe2, 0x82, 0xac, 0x1b, 0x5b, 0x30, 0x6d]));
});

test('flushes at once when a batch reaches the size limit', () => {
  const batches: Buffer[] = [];
  const b = new OutputBatcher((batch) => batches.push(batch), { delayMs: 60_000, maxBytes: 100 });
  b.push(Buffer.alloc(60, 1));
  assert.equal(batches.length, 0);
  b.push(Buffer.alloc(60, 2));
  assert.equal(batches.length, 1, 'no waiting for the timer');
  assert.equal(batches[0]!.length, 120);
  b.dispose();
  b.push(Buffer.alloc(10));
  assert.equal(batches.length, 1, 'nothing after dispose');
});
