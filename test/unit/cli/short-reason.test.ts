// The reason after each failed host in a block's summary line, from the
// messages the SSH target really writes (classifySshFailure fed what ssh
// prints) and the engine's own: no `cannot connect to HOST (…):` (the host
// is named already), not cut mid-word, no parenthesis left open.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySshFailure } from '../../../main/targets/ssh/ssh-failure.js';
import { shortReason } from '../../../main/host/cli/commands/short-reason.js';

const ssh = (stderr: string, label = 'h93'): string => classifySshFailure(stderr, { label }).message;

/** No parenthesis left open or closed alone: with every innermost `(…)` taken out, again and again, none is left. */
function balanced(text: string): boolean {
  let rest = text;
  for (let before = ''; before !== rest; ) [before, rest] = [rest, rest.replace(/\([^()]*\)/g, '')];
  return !/[()]/.test(rest);
}

const CASES: [message: string, reason: string][] = [
  [ssh('ssh: connect to host 198.51.100.93 port 22: Connection refused'), 'connection refused'],
  [ssh('ssh: connect to host 198.51.100.93 port 22: Connection timed out'), 'the connection timed out'],
  [ssh('ssh: connect to host 203.0.113.93 port 22: No route to host'), 'no route to host'],
  [ssh('ssh: connect to host 203.0.113.93 port 22: Network is unreachable'), 'network is unreachable'],
  [ssh('ssh: connect to host 2001:db8::93 port 22: Address family not supported by protocol'), 'Address family not supported by protocol'],
  [ssh('Connection timed out during banner exchange\r\nConnection to UNKNOWN port 65535 timed out'), 'the connection timed out before sshd answered'],
  [ssh('ssh: Could not resolve hostname r7: Name or service not known', 'r7'), 'the name r7 does not resolve (Name or service not known)'],
  // Too long with ssh's words: they go, whole.
  [ssh('ssh: Could not resolve hostname r7: Temporary failure in name resolution', 'r7'), 'the name r7 does not resolve'],
  [ssh('ssh: Could not resolve hostname core-router-7.dc1.example.net: Name or service not known', 'core-router-7.dc1.example.net'), 'the name core-router-7.dc1.example.net does not resolve'],
  [ssh('root@198.51.100.93: Permission denied (publickey,password).'), 'authentication failed'],
  [ssh('No ED25519 host key is known for 198.51.100.93 and you have requested strict checking.\nHost key verification failed.'), 'unknown host key'],
  [ssh('@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nThe fingerprint for the ED25519 key sent by the remote host is\nSHA256:abc.\nOffending ED25519 key in /root/.ssh/known_hosts:3\nHost key for 198.51.100.93 has changed and you have requested strict checking.\nHost key verification failed.'), 'host key changed'],
  [ssh('Host key verification failed.'), 'host key not verified'],
  [ssh('kex_exchange_identification: read: Connection reset by peer\r\nConnection reset by 198.51.100.93 port 22'), 'connection closed: kex_exchange_identification: read…'],
  [ssh('mux_client_request_session: session request failed: Session open refused by peer'), 'ssh failed: mux_client_request_session…'],
  ['exit status 1, expected 0; expected /3 packets transmitted, 3 received/ not found in the output', 'exit status 1, expected 0'],
  ['expected /a; b/ not found in the output', 'expected /a; b/ not found'],
  ['timed out after 3.0s and was stopped', 'timed out after 3.0s and was stopped'],
  ['cannot reach h4: its ProxyJumps go round in a loop (h4 → bastion → h4); check the ProxyJump lines of your ssh config', 'its ProxyJumps go round in a loop (h4 → bastion → h4)'],
];

test('each message form gives a reason without the host prefix, whole when it is short', () => {
  for (const [message, reason] of CASES) assert.equal(shortReason(message), reason, message);
});

test('a long reason is cut at a word, with its parentheses closed; a pattern keeps its groups closed', () => {
  const expectation = 'expected /([0-9a-f]{2}:){5}[0-9a-f]{2} dst 198\\.51\\.100\\.2 self (permanent|static)/ not found in the output';
  assert.equal(shortReason(expectation), 'expected /([0-9a-f]{2}:){5}[0-9a-f]{2} dst 198\\.…/ not found');
  const other = ssh('ssh: connect to host 198.51.100.93 port 22: Resource temporarily unavailable (the kernel ran out of something it needs)');
  assert.equal(shortReason(other), 'Resource temporarily unavailable', 'a closing parenthetical goes whole');
  const words = ssh('ssh: connect to host 198.51.100.93 port 22: Resource temporarily unavailable while the kernel (of this machine) was short of memory');
  assert.equal(shortReason(words), 'Resource temporarily unavailable while the kernel…', 'not inside the parentheses');
  const messages = [...CASES.map(([m]) => m), expectation, other, words];
  for (const m of messages) {
    const r = shortReason(m);
    assert.ok(r.length <= 60, `${r} (${r.length})`);
    assert.ok(balanced(r), r);
    assert.doesNotMatch(r, /cannot connect to|\.\.\.$/, r);
  }
});
