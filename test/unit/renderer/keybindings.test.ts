import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChord, matchesChord, KeyMap, ChordError, type KeyLike } from '../../../renderer/src/workspace/keybindings.js';

function key(k: string, code: string, mods: Partial<KeyLike> = {}): KeyLike {
  return { key: k, code, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...mods };
}

test('chords parse into modifiers and a key', () => {
  assert.deepEqual(parseChord('Ctrl+Shift+T'), { ctrl: true, shift: true, alt: false, meta: false, key: 't' });
  assert.deepEqual(parseChord('ctrl+pageup'), { ctrl: true, shift: false, alt: false, meta: false, key: 'PageUp' });
  assert.deepEqual(parseChord('Ctrl++'), { ctrl: true, shift: false, alt: false, meta: false, key: '+' });
  assert.deepEqual(parseChord('Alt+/'), { ctrl: false, shift: false, alt: true, meta: false, key: '/' });
});

test('bad chords say what is wrong', () => {
  assert.throws(() => parseChord('Ctrl+Hyper+T'), (e: unknown) => e instanceof ChordError && /"Hyper" is not a modifier/.test(e.message));
  assert.throws(() => parseChord('Ctrl+Shift'), /no key after the modifiers/);
  assert.throws(() => parseChord('Ctrl+Banana'), /unknown key "Banana"/);
});

test('events match by key or physical position, with exact modifiers', () => {
  const newTab = parseChord('Ctrl+Shift+T');
  assert.equal(matchesChord(newTab, key('T', 'KeyT', { ctrlKey: true, shiftKey: true })), true);
  assert.equal(matchesChord(newTab, key('t', 'KeyT', { ctrlKey: true })), false, 'Shift is required');
  assert.equal(matchesChord(newTab, key('T', 'KeyT', { ctrlKey: true, shiftKey: true, altKey: true })), false);
  // A non-Latin layout: key is "Е", the physical key is still T.
  assert.equal(matchesChord(newTab, key('Е', 'KeyT', { ctrlKey: true, shiftKey: true })), true);
  assert.equal(matchesChord(parseChord('Ctrl+='), key('=', 'Equal', { ctrlKey: true })), true);
  assert.equal(matchesChord(parseChord('Alt+/'), key('/', 'Slash', { altKey: true })), true);
  assert.equal(matchesChord(parseChord('Ctrl+PageDown'), key('PageDown', 'PageDown', { ctrlKey: true })), true);
});

test('a key map finds actions and reports unparsable chords without failing', () => {
  const map = new KeyMap({ newTab: 'Ctrl+Shift+T', complete: 'Alt+/', find: 'Ctrl+Nope+F' });
  assert.equal(map.actionFor(key('/', 'Slash', { altKey: true })), 'complete');
  assert.equal(map.actionFor(key('x', 'KeyX')), null);
  assert.equal(map.problems.length, 1);
  assert.match(map.problems[0]!, /^find: .*"Nope" is not a modifier/);
});
