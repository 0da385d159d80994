// What the pending-commit strip shows as time left, and the deadline.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCountdown, shortDeadline } from '../../../renderer/src/notebook/countdown.js';

test('time left: minutes:seconds, hours when needed, rounded up, never negative', () => {
  assert.equal(formatCountdown(300_000), '5:00');
  assert.equal(formatCountdown(299_001), '5:00');
  assert.equal(formatCountdown(299_000), '4:59');
  assert.equal(formatCountdown(5_000), '0:05');
  assert.equal(formatCountdown(1), '0:01', 'not 0:00 before the deadline');
  assert.equal(formatCountdown(0), '0:00');
  assert.equal(formatCountdown(-4_000), '0:00');
  assert.equal(formatCountdown(3_723_000), '1:02:03');
});

test('the deadline: the time alone when it is today (UTC), the whole date otherwise', () => {
  assert.equal(shortDeadline('2026-11-23T19:45:02Z', new Date('2026-11-23T19:40:00Z')), '19:45:02Z');
  assert.equal(shortDeadline('2026-11-24T00:05:00Z', new Date('2026-11-23T23:58:00Z')), '2026-11-24T00:05:00Z');
});
