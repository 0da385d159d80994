import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leaf, splitPane, removePane, panesOf, setRatio, clampRatio, type PaneTree } from '../../../renderer/src/workspace/layout.js';
import { toPaneLayout, fromPaneLayout, lastLines } from '../../../renderer/src/workspace/session-layout.js';
import { decodeTermData } from '../../../renderer/src/transport/frame.js';
import { encodeHostFrame } from '../../../main/protocol.js';

test('splitting and closing panes keeps the tree consistent', () => {
  let tree: PaneTree<string> = leaf('a');
  tree = splitPane(tree, 'a', 'b', 'row');
  tree = splitPane(tree, 'b', 'c', 'column');
  assert.deepEqual(panesOf(tree), ['a', 'b', 'c']);
  const withoutB = removePane(tree, 'b');
  assert.ok(withoutB);
  assert.deepEqual(panesOf(withoutB), ['a', 'c']);
  assert.equal(withoutB.kind, 'split');
  const onlyC = removePane(withoutB, 'a');
  assert.deepEqual(onlyC, leaf('c'));
  assert.equal(removePane(leaf('c'), 'c'), null, 'closing the last pane empties the tab');
});

test('ratios are set by path and clamped', () => {
  let tree: PaneTree<string> = splitPane(splitPane(leaf('a'), 'a', 'b', 'row'), 'b', 'c', 'column');
  tree = setRatio(tree, ['second'], 0.99);
  assert.equal(tree.kind === 'split' && tree.second.kind === 'split' ? tree.second.ratio : -1, 0.95);
  assert.equal(clampRatio(Number.NaN), 0.5);
});

test('a layout survives the round trip through the saved session shape', () => {
  const tree = splitPane(leaf(1), 1, 2, 'column');
  const saved = toPaneLayout(tree, (n) => ({ cwd: n === 1 ? '/tmp/1' : null, title: `t${n}`, scrollback: `line ${n}\r\n`, ssh: n === 2 ? 'h1' : null }));
  assert.deepEqual(saved, {
    kind: 'split', direction: 'column', ratio: 0.5,
    first: { kind: 'terminal', cwd: '/tmp/1', title: 't1', scrollback: 'line 1\r\n', ssh: null },
    second: { kind: 'terminal', cwd: null, title: 't2', scrollback: 'line 2\r\n', ssh: 'h1' },
  });
  assert.deepEqual(panesOf(fromPaneLayout(saved)).map((p) => [p.cwd, p.ssh]), [['/tmp/1', null], [null, 'h1']]);
});

test('a pane saved before SSH tabs (no "ssh") comes back as a local shell', () => {
  const restored = panesOf(fromPaneLayout({ kind: 'terminal', cwd: '/srv', title: 'old', scrollback: '' }));
  assert.deepEqual(restored, [{ cwd: '/srv', title: 'old', scrollback: '', ssh: null }]);
});

test('restored scrollback is capped to its last lines', () => {
  assert.equal(lastLines('a\r\nb\r\nc\r\nd', 2), 'c\r\nd');
  assert.equal(lastLines('a\r\nb', 5), 'a\r\nb');
});

test('the renderer decodes the binary term.data frame the host encodes', () => {
  const bytes = new TextEncoder().encode('héllo \x1b[31mred');
  const parts = encodeHostFrame({ type: 'term.data', id: 0xfeedbeef, data: bytes });
  assert.ok(Array.isArray(parts));
  // The WebSocket delivers the two fragments as one ArrayBuffer.
  const frame = Buffer.concat(parts);
  const copy = frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength);
  const decoded = decodeTermData(copy as ArrayBuffer);
  assert.ok(decoded);
  assert.equal(decoded.id, 0xfeedbeef);
  assert.deepEqual(new Uint8Array(decoded.data), bytes);
  assert.equal(decodeTermData(new Uint8Array([2, 0, 0, 0, 0]).buffer), null, 'another kind is not term.data');
  assert.equal(decodeTermData(new Uint8Array([1, 0]).buffer), null, 'too short');
});

test('nb.output travels as binary frame kind 2 and decodes back to its stream and bytes', async () => {
  const { encodeHostFrame } = await import('../../../main/protocol.js');
  const { decodeBinaryFrame } = await import('../../../renderer/src/transport/frame.js');
  const bytes = new Uint8Array([0x79, 0x0a, 0xff, 0x1b]);
  const frame = Buffer.concat(encodeHostFrame({ type: 'nb.output', stream: 77, data: bytes }) as readonly Uint8Array[]);
  const copy = frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength);
  const decoded = decodeBinaryFrame(copy as ArrayBuffer);
  assert.equal(decoded?.type, 'nb.output');
  assert.deepEqual(decoded?.type === 'nb.output' ? [decoded.stream, [...decoded.data]] : null, [77, [...bytes]]);
  assert.equal(decodeBinaryFrame(new Uint8Array([3, 0, 0, 0, 0]).buffer), null, 'unknown kind');
});
