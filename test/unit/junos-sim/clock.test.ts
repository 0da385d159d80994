// The simulator's clocks: the manual one moves only when told; the real one
// fires and cancels (ordered by their delays, never by a measured time).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, RealClock, junosDate } from '../../junos-sim/clock.js';
import { waitFor } from '../../junos-sim/reading-replies.js';

test('the manual clock runs what falls due, in order, and only when advanced', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const fired: string[] = [];
  clock.schedule(2000, () => fired.push('b'));
  clock.schedule(1000, () => fired.push('a'));
  const cancelled = clock.schedule(1500, () => fired.push('never'));
  clock.cancel(cancelled);
  clock.advance(999);
  assert.deepEqual(fired, []);
  clock.advance(1001);
  assert.deepEqual(fired, ['a', 'b']);
  assert.equal(junosDate(clock.now()), '2026-01-01 00:00:02 UTC');
  assert.throws(() => clock.advance(-1));
});

test('the real clock fires scheduled callbacks and not cancelled ones', async () => {
  const clock = new RealClock();
  const fired: string[] = [];
  const cancelled = clock.schedule(1, () => fired.push('cancelled'));
  clock.cancel(cancelled);
  clock.schedule(5, () => fired.push('due'));
  await waitFor(() => fired.length > 0, 'the timer');
  assert.deepEqual(fired, ['due']);
});
