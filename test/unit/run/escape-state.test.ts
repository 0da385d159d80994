// Whether the emulator's parser is between sequences after some bytes: the
// capture's plain-text shortcut depends on it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EscapeState } from '../../../main/run/escape-state.js';

function groundAfter(...parts: string[]): boolean {
  const s = new EscapeState();
  for (const p of parts) s.feed(Buffer.from(p, 'utf8'));
  return s.ground;
}

test('complete sequences end in ground; cut ones do not, across any split', () => {
  for (const done of ['plain text', '\x1b[31mred', '\x1b[1;2H', '\x1b]0;title\x07', '\x1b]8;;http://x\x1b\\', '\x1bPq#0\x1b\\', '\x1b(B', '\x1b7', '\u009b2J', '\u009d0;t\u009c', '\x1b[12\x18'])
    assert.equal(groundAfter(done), true, JSON.stringify(done));
  for (const cut of ['\x1b', '\x1b[', '\x1b[31', '\x1b]0;title', '\x1b]0;t\x1b', '\x1bP', '\x1b(', 'a\u00c2'.slice(0, 1) + '\x1b', '\u009b1'])
    assert.equal(groundAfter(cut), false, JSON.stringify(cut));
  const seq = '\x1b]0;a title\x07\x1b[1;31mX\x1b[0m';
  for (let i = 0; i <= seq.length; i++) assert.equal(groundAfter(seq.slice(0, i), seq.slice(i)), true, `split at ${i}`);
});

test('a lone C2 byte waits for the next: C1 control or character', () => {
  const s = new EscapeState();
  s.feed(Buffer.from([0xc2]));
  assert.equal(s.ground, false);
  s.feed(Buffer.from([0xa9])); // ©
  assert.equal(s.ground, true);
  s.feed(Buffer.from([0xc2]));
  s.feed(Buffer.from([0x9b])); // CSI
  assert.equal(s.ground, false);
  s.feed(Buffer.from('m'));
  assert.equal(s.ground, true);
});
