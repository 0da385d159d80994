import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preparePaste, BRACKET_START, BRACKET_END, ESC_REPLACEMENT } from '../../../renderer/src/terminal/paste.js';

test('bracketed paste: an embedded end-of-paste sequence cannot escape the bracket', () => {
  const attack = 'ls\x1b[201~rm -rf ~\r';
  const out = preparePaste(attack, true);
  assert.ok(out.startsWith(BRACKET_START) && out.endsWith(BRACKET_END));
  const inner = out.slice(BRACKET_START.length, -BRACKET_END.length);
  assert.equal(inner.includes('\x1b'), false, 'no ESC survives inside the bracket');
  assert.equal(inner, `ls${ESC_REPLACEMENT}[201~rm -rf ~\r`);
  // exactly one end marker: the one we added
  assert.equal(out.split(BRACKET_END).length, 2);
});

test('bracketed paste neutralises the 8-bit CSI too', () => {
  assert.equal(preparePaste('a\u009b201~b', true), `${BRACKET_START}a${ESC_REPLACEMENT}201~b${BRACKET_END}`);
});

test('line endings become carriage returns, as Enter sends', () => {
  assert.equal(preparePaste('one\ntwo\r\nthree', true), `${BRACKET_START}one\rtwo\rthree${BRACKET_END}`);
  assert.equal(preparePaste('one\ntwo\r\nthree\n', false), 'one\rtwo\rthree\r');
});

test('without bracketed mode, ESC is removed rather than sent', () => {
  assert.equal(preparePaste('echo hi\x1b[201~\x1b]52;c;?\x07', false), 'echo hi[201~]52;c;?\x07');
});

test('unicode and large texts pass through unchanged apart from the rules above', () => {
  const text = 'żółw 🐢 ネットワーク '.repeat(40_000);
  assert.equal(preparePaste(text, true), BRACKET_START + text + BRACKET_END);
  assert.equal(preparePaste(text, false), text);
});

test('an empty paste sends nothing, not an empty bracket', () => {
  assert.equal(preparePaste('', true), '');
});
