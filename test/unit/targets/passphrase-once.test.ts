// A key's passphrase is asked once for the hosts of a run; a wrong answer is
// asked again, and the hosts that got it are given the new one; passwords,
// which are each host's own, are always asked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { askOncePerKey } from '../../../main/targets/ssh/passphrase-once.js';
import type { SecretRequest } from '../../../main/targets/ssh/askpass.js';

const KEY = "Enter passphrase for key '/home/ops/.ssh/id_ed25519': ";

function recorder(answers: (string | null)[]): { asked: SecretRequest[]; ask: (q: SecretRequest) => Promise<string | null> } {
  const asked: SecretRequest[] = [];
  return { asked, ask: async (q) => (asked.push(q), answers.shift() ?? null) };
}

test('one question for every host asking for the same key, and it says so', async () => {
  const r = recorder(['right']);
  const once = askOncePerKey(r.ask);
  const got = await Promise.all(['r1', 'r2', 'r3'].map((host) => once.prompter({ host, prompt: KEY })));
  assert.deepEqual(got, ['right', 'right', 'right']);
  assert.equal(r.asked.length, 1);
  assert.match(r.asked[0]!.prompt, /^Enter passphrase for key '\/home\/ops\/\.ssh\/id_ed25519': \(asked once: the answer also opens the key for the run's other hosts\) $/);
});

test('a host asking again was refused the answer: the user is asked afresh, and the hosts given the old one get the new', async () => {
  const r = recorder(['wrong', 'right']);
  const once = askOncePerKey(r.ask);
  assert.equal(await once.prompter({ host: 'r1', prompt: KEY }), 'wrong');
  assert.equal(await once.prompter({ host: 'r2', prompt: KEY }), 'wrong');
  assert.equal(await once.prompter({ host: 'r2', prompt: KEY }), 'right', 'r2 asks again: asked afresh');
  assert.equal(await once.prompter({ host: 'r1', prompt: KEY }), 'right', 'r1 got the refused answer: it gets the new one, no third question');
  assert.equal(r.asked.length, 2);
});

test('other keys, passwords and a forgotten run each ask', async () => {
  const r = recorder(['a', 'b', 'p1', 'p2', 'c']);
  const once = askOncePerKey(r.ask);
  assert.equal(await once.prompter({ host: 'r1', prompt: KEY }), 'a');
  assert.equal(await once.prompter({ host: 'r1', prompt: "Enter passphrase for ED25519 key '/other': " }), 'b', 'another key, in newer OpenSSH wording');
  assert.equal(await once.prompter({ host: 'r1', prompt: "root@198.51.100.1's password: " }), 'p1');
  assert.equal(await once.prompter({ host: 'r2', prompt: "root@198.51.100.2's password: " }), 'p2', 'a password is the host\'s own');
  once.forget();
  assert.equal(await once.prompter({ host: 'r2', prompt: KEY }), 'c', 'after the run, asked again');
  assert.equal(r.asked.length, 5);
});

test('declined once, declined for the run: Cancel means do not use this key', async () => {
  const r = recorder([null]);
  const once = askOncePerKey(r.ask);
  assert.deepEqual(await Promise.all(['r1', 'r2'].map((host) => once.prompter({ host, prompt: KEY }))), [null, null]);
  assert.equal(r.asked.length, 1);
});
