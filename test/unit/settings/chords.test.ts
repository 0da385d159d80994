import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChord } from '../../../main/settings/chords.js';
import { DEFAULT_KEYBINDINGS } from '../../../main/settings/defaults.js';

test('chords are normalised: modifier order, case, aliases', () => {
  const cases: [string, string][] = [
    ['shift+ctrl+t', 'Ctrl+Shift+T'],
    ['Control+PgDn', 'Ctrl+PageDown'],
    ['cmd+option+k', 'Alt+Meta+K'],
    ['Ctrl++', 'Ctrl+Plus'],
    ['Ctrl+=', 'Ctrl+='],
    ['F5', 'F5'],
    ['shift+f12', 'Shift+F12'],
    [' Alt + / ', 'Alt+/'],
    ['Ctrl+Shift+]', 'Ctrl+Shift+]'],
  ];
  for (const [input, expected] of cases) assert.deepEqual(parseChord(input), { ok: true, chord: expected }, input);
});

test('bad chords say what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['', /empty chord/],
    ['Ctrl+Shift+', /empty part/],
    ['Ctrl+Ctrl+A', /Ctrl appears twice/],
    ['Ctrl+Banana', /"Banana" is not a key name/],
    ['T+Ctrl', /"T" is not a modifier/],
    ['Shift+A', /would take a key away from typing/],
    ['F25', /not a key name/],
  ];
  for (const [input, reason] of cases) {
    const r = parseChord(input);
    assert.equal(r.ok, false, input);
    if (!r.ok) assert.match(r.reason, reason, input);
  }
});

test('the default keybindings are canonical and distinct', () => {
  const chords = Object.values(DEFAULT_KEYBINDINGS);
  for (const c of chords) assert.deepEqual(parseChord(c), { ok: true, chord: c });
  assert.equal(new Set(chords).size, chords.length);
});
