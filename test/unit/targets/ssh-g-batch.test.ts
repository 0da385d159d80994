// A batch of `ssh -G` runs in one sh: its output is read as it arrives and
// each host's configuration is given out as soon as its status line is in.
// A chunk may end anywhere, inside a status line too: a host must never get
// a wrong status (`25` read as `2`) or part of another host's text.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchOutputReader } from '../../../main/targets/ssh/effective-config.js';

const hostA = 'user root\nhostname 198.51.100.1\nport 22\n';
const hostB = 'ssh: Could not resolve hostname nowhere: Name or service not known\n';
const hostC = 'user netops\nhostname 203.0.113.9\nport 2222\n';
const output = `${hostA}modus-ssh-G-status 0\n${hostB}modus-ssh-G-status 255\n${hostC}modus-ssh-G-status 0\n`;
const expected = [
  { text: hostA, status: 0 },
  { text: hostB, status: 255 },
  { text: hostC, status: 0 },
];

test('every host is read whole, with its own status, wherever the chunks are cut', () => {
  for (let cut = 0; cut <= output.length; cut++) {
    const reader = new BatchOutputReader();
    const got = [...reader.push(output.slice(0, cut)), ...reader.push(output.slice(cut))];
    assert.deepEqual(got, expected, `cut at ${cut}`);
  }
});

test('a host is given out as soon as its status line is complete, before the batch ends', () => {
  const reader = new BatchOutputReader();
  assert.deepEqual(reader.push(`${hostA}modus-ssh-G-status 0`), [], 'not before its newline');
  assert.deepEqual(reader.push(`\n${hostB.slice(0, 10)}`), [expected[0]]);
});
