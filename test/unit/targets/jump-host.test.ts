// Hosts behind one jump host share a master to it (jump-host.ts): which
// ProxyJump values qualify, and the ProxyCommand that ssh hands to the
// user's shell, which must reach ssh as exactly the intended words.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jumpProxyCommand, parseJumpHop } from '../../../main/targets/ssh/jump-host.js';
import { shortReason } from '../../../main/host/cli/commands/short-reason.js';

test('a single hop is a jump host; none, chains and names ssh would misread are not', () => {
  assert.deepEqual(parseJumpHop('bastion'), { host: 'bastion' });
  assert.deepEqual(parseJumpHop('ops@bastion.example.net:2222'), { host: 'bastion.example.net', user: 'ops', port: 2222 });
  assert.deepEqual(parseJumpHop('ssh://ops@[2001:db8::7]:22'), { host: '[2001:db8::7]', user: 'ops', port: 22 });
  assert.deepEqual(parseJumpHop('[2001:db8::7]'), { host: '[2001:db8::7]' });
  for (const no of ['none', '', 'a,b', 'ops@a:22,b', '-oProxyCommand=x', 'bad;host', 'user@host:99999', 'a b']) assert.equal(parseJumpHop(no), null, no);
});

/** What ssh would exec: its tokens expanded (`%h`, `%p`, `%%`), then the user's shell. */
function wordsAfterShell(command: string, host: string, port: number): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'modus-jump-'));
  const fake = join(dir, 'ssh');
  writeFileSync(fake, '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
  chmodSync(fake, 0o755);
  const expanded = command.replace(/%(%|h|p)/g, (_, t: string) => (t === '%' ? '%' : t === 'h' ? host : String(port)));
  try {
    const out = execFileSync('/bin/sh', ['-c', `exec ${expanded.replace(/^'[^']*'/, `'${fake}'`)}`], { encoding: 'utf8' });
    return out.split('\n').slice(0, -1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the ProxyCommand reaches ssh word for word through the shell: spaces, globs and % kept, the host after --', () => {
  const args = ['-F', '/home/ops/my configs/ssh_config', '-o', 'ControlMaster=no', '-o', 'ControlPath=/run/user/0/modus-x/3', '-o', 'User=a%b*[c]'];
  const cmd = jumpProxyCommand('/usr/bin/ssh', args, { host: 'bastion', user: 'ops', port: 2222 });
  assert.ok(cmd);
  assert.deepEqual(wordsAfterShell(cmd, '203.0.113.7', 22), [...args, '-W', '[203.0.113.7]:22', '-p', '2222', '-l', 'ops', '--', 'bastion']);
});

test('an argument no shell would take literally inside single quotes gives no ProxyCommand (OpenSSH\'s own ProxyJump is used)', () => {
  for (const bad of ["it's", 'back\\slash', 'bang!', 'new\nline']) assert.equal(jumpProxyCommand('/usr/bin/ssh', ['-F', bad], { host: 'bastion' }), null, bad);
});

test('a summary line names the jump host and the gist of its own failure', () => {
  const refused = 'cannot reach h3 through its ProxyJump bastion: cannot connect to bastion (198.51.100.253 port 22): connection refused; is sshd running there, and on that port?';
  assert.equal(shortReason(refused), 'via bastion: connection refused');
  const auth = 'cannot reach h3 through its ProxyJump bastion: authentication to bastion failed (the server accepts: publickey): check the user, that your key is loaded (ssh-add -l) and in the host\'s authorized_keys, or that the password was right';
  assert.equal(shortReason(auth), 'via bastion: authentication failed');
  assert.equal(shortReason(auth.replace('to bastion failed', 'to bastion as ops@198.51.100.253 port 2222 failed')), 'via bastion: authentication failed', 'with the user and address tried');
  const chain = 'cannot reach h3 through its ProxyJump a,b: the jump host (198.51.100.9 port 22) could not be reached: connection refused; is the bastion up?';
  assert.equal(shortReason(chain), 'via a,b: connection refused');
});
