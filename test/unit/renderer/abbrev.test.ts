import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wordBeforeCursor, completionCandidates, startCompletion, advanceCompletion, BACKSPACE } from '../../../renderer/src/terminal/abbrev.js';

test('the word before the cursor is the run of word characters left of it', () => {
  assert.equal(wordBeforeCursor('$ echo zebr', 11), 'zebr');
  assert.equal(wordBeforeCursor('$ echo zebr', 9), 'ze');
  assert.equal(wordBeforeCursor('$ echo zebr ', 12), '');
  assert.equal(wordBeforeCursor('$ ping core-rtr1.ex', 19), 'core-rtr1.ex');
  assert.equal(wordBeforeCursor('user@host:~$ ls --verb', 22), '--verb');
  assert.equal(wordBeforeCursor('', 0), '');
});

test('candidates come most recent first: active terminal, then bottom-up, then right to left', () => {
  const active = ['zeta1 zebra2', 'zebra3 zebra4', '$ echo zeb'];
  const other = ['zebra5 zebra4'];
  assert.deepEqual(completionCandidates('zeb', [active, other]), ['zebra4', 'zebra3', 'zebra2', 'zebra5']);
});

test('the prefix itself and shorter words are not candidates; sentence dots are trimmed', () => {
  assert.deepEqual(completionCandidates('host', [['host hostname. host-', 'ho']]), ['hostname']);
  assert.deepEqual(completionCandidates('', [['anything']]), []);
});

test('unicode words complete as whole words', () => {
  assert.deepEqual(completionCandidates('żó', [['żółw pies']]), ['żółw']);
});

test('pressing again cycles, erasing the previous completion with backspaces', () => {
  const first = startCompletion('zeb', [['zebracorn42 zebu']]);
  assert.ok(first);
  assert.equal(first.input, 'u');
  const second = advanceCompletion(first.cycle);
  assert.equal(second.input, `${BACKSPACE}racorn42`);
  const third = advanceCompletion(second.cycle);
  assert.equal(third.input, `${BACKSPACE.repeat('racorn42'.length)}u`, 'wraps to the first candidate');
});

test('nothing to complete gives null', () => {
  assert.equal(startCompletion('qqq', [['abc']]), null);
});
