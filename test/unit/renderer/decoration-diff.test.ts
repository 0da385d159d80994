import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decorationChanges, type DecorationPlace, type ShownDecoration } from '../../../renderer/src/notebook/decoration-diff.js';

const shown = (id: string, line: number, key: string, column = 4): ShownDecoration => ({ id, line, column, key });
const wanted = (line: number, key: string, column = 4): DecorationPlace => ({ line, column, key });

test('unchanged decorations stay; only the ones that differ are replaced', () => {
  const now = [shown('a', 3, 'pass'), shown('b', 10, 'running 1s'), shown('c', 20, 'fail')];
  const changes = decorationChanges(now, [wanted(3, 'pass'), wanted(10, 'running 2s'), wanted(20, 'fail')]);
  assert.deepEqual(changes.remove, ['b']);
  assert.deepEqual(changes.add, [1]);
  assert.deepEqual(changes.keep.map((s) => s.id).sort(), ['a', 'c']);
});

test('a decoration is compared where it is now: one that moved with an edit to where the analysis wants it stays', () => {
  // Lines were inserted above: the decorations followed them, and the new analysis names the new lines.
  const changes = decorationChanges([shown('a', 5, 'pass'), shown('b', 12, 'pass')], [wanted(5, 'pass'), wanted(12, 'pass')]);
  assert.deepEqual(changes, { remove: [], add: [], keep: changes.keep });
  assert.equal(changes.keep.length, 2);
});

test('a different line, column or content is a different decoration', () => {
  const changes = decorationChanges([shown('a', 5, 'pass'), shown('b', 6, 'pass'), shown('c', 7, 'pass', 9)], [wanted(5, 'fail'), wanted(8, 'pass'), wanted(7, 'pass', 10)]);
  assert.deepEqual(changes.remove.sort(), ['a', 'b', 'c']);
  assert.deepEqual(changes.add, [0, 1, 2]);
  assert.deepEqual(changes.keep, []);
});

test('duplicates are matched one for one, and nothing wanted removes everything', () => {
  const twice = decorationChanges([shown('a', 5, 'pass'), shown('b', 5, 'pass')], [wanted(5, 'pass')]);
  assert.equal(twice.keep.length, 1);
  assert.equal(twice.remove.length, 1);
  assert.deepEqual(twice.add, []);
  assert.deepEqual(decorationChanges([shown('a', 1, 'x')], []), { remove: ['a'], add: [], keep: [] });
  assert.deepEqual(decorationChanges([], [wanted(1, 'x')]), { remove: [], add: [0], keep: [] });
});

test('after the changes the editor shows exactly what was wanted (random cases)', () => {
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const keys = ['pass', 'fail', 'running 1s', 'running 2s'];
  for (let round = 0; round < 200; round++) {
    const now = Array.from({ length: random(30) }, (_, i) => shown(`d${i}`, 1 + random(20), keys[random(keys.length)]!));
    const want = Array.from({ length: random(30) }, () => wanted(1 + random(20), keys[random(keys.length)]!));
    const changes = decorationChanges(now, want);
    const removed = new Set(changes.remove);
    const after = [...now.filter((s) => !removed.has(s.id)), ...changes.add.map((i) => want[i]!)];
    const asKeys = (list: DecorationPlace[]): string[] => list.map((p) => `${p.line}:${p.column}:${p.key}`).sort();
    assert.deepEqual(asKeys(after), asKeys(want));
    assert.equal(changes.keep.length + changes.remove.length, now.length);
  }
});
