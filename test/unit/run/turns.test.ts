import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Turns } from '../../../main/targets/turns.js';

test('turns go in the order asked, one at a time', async () => {
  const turns = new Turns();
  const order: string[] = [];
  const first = await turns.take();
  assert.ok(first);
  let queued = 0;
  const second = turns.take(undefined, () => queued++).then((r) => (order.push('second'), r));
  const third = turns.take(undefined, () => queued++).then((r) => (order.push('third'), r));
  assert.equal(queued, 2, 'both were told they wait');
  await Promise.resolve();
  assert.deepEqual(order, []);
  first!();
  const r2 = await second;
  assert.deepEqual(order, ['second']);
  first!(); // releasing twice does nothing
  await Promise.resolve();
  assert.deepEqual(order, ['second']);
  r2!();
  (await third)!();
  assert.equal(turns.taken, false);
});

test('a waiter whose signal aborts leaves the line at once; the next one gets its turn', async () => {
  const turns = new Turns();
  const held = (await turns.take())!;
  const abort = new AbortController();
  const cancelled = turns.take(abort.signal);
  const after = turns.take();
  abort.abort();
  assert.equal(await cancelled, null);
  held();
  const r = await after;
  assert.ok(r, 'the one behind the cancelled waiter got the turn');
  assert.equal(await turns.take(AbortSignal.abort()), null, 'an aborted signal never waits');
  r!();
});
