import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanNotebook } from '../../../main/notebook/scan.js';
import { BlockIndex, relocate, type BlockIdentity } from '../../../main/run/block-locator.js';

const fence = '```';
const block = (body: string, header = ''): string => `${fence}sh${header}\n${body}\n${fence}\n\n`;

/** Where block `index` of `before` is found in `after`: its new index, or the problem. */
function follow(before: string, index: number, after: string, name: string | null = null): number | string {
  const old = new BlockIndex(scanNotebook(before));
  const b = old.notebook.blocks[index]!;
  const id: BlockIdentity = { index, name, lang: b.lang, info: b.info, body: b.body };
  const found = relocate(new BlockIndex(scanNotebook(after)), id, old.locationOf(b), 'nb.md');
  return 'problem' in found ? found.problem : found.block.index;
}

test('blocks inserted or deleted elsewhere: found by text, copies by their rank', () => {
  const before = block('a') + block('x') + block('a') + block('b');
  assert.equal(follow(before, 3, block('new') + before), 4);
  assert.equal(follow(before, 2, block('new') + before), 3, 'the second copy of a stays the second copy');
  assert.equal(follow(before, 0, before.replace(block('x'), '')), 0);
  assert.equal(follow(before, 2, before.replace(block('x'), '')), 1);
});

test('a copy added elsewhere: the neighbours decide; beside itself: refused', () => {
  const before = block('x') + block('a') + block('y');
  assert.equal(follow(before, 1, before + block('z') + block('a')), 1, 'the pasted copy has other neighbours');
  assert.match(String(follow(before, 1, block('x') + block('a') + block('a') + block('y'))), /appears 2 times .* not guessing/);
});

test('deleted or edited: no block with its text', () => {
  const before = block('x') + block('a');
  assert.match(String(follow(before, 1, block('x'))), /no longer in nb\.md/);
  assert.match(String(follow(before, 1, block('x') + block('a edited'))), /no longer in nb\.md/);
});

test('by name: found where it went; edited or named twice: refused', () => {
  const before = block('x') + block('a', ' :name probe');
  assert.equal(follow(before, 1, block('new') + before, 'probe'), 2);
  assert.match(String(follow(before, 1, before.replace('\na\n', '\nb\n'), 'probe')), /edited in nb\.md while it ran/);
  assert.match(String(follow(before, 1, before + block('c', ' :name probe'), 'probe')), /2 blocks are named probe/);
});
