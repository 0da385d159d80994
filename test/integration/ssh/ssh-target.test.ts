// The SSH target against a real sshd on 127.0.0.1: what a block sees (a
// pty, its exit status, :dir, its interpreter), that its text arrives byte
// for byte (never through shell quoting), and sessions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureForFile, runOn } from './fixture.js';

const ssh = fixtureForFile();
const skip = ssh.skip;

test('a block runs on the host with a terminal, and its exit status comes back', { skip: skip ?? false }, async () => {
  const t = ssh.f.target();
  const r = await runOn(t, { script: 't=no; [ -t 1 ] && t=yes; echo "tty=$t cols=$COLUMNS"; exit 3' });
  assert.deepEqual(r.outcome, { kind: 'exited', exitCode: 3 });
  assert.match(r.output, /tty=yes cols=500\r\n/);
});

test('the block text arrives byte for byte: quotes, control characters, long lines, no trailing newline', { skip: skip ?? false }, async () => {
  const t = ssh.f.target();
  const tricky = `a='it'"'"'s' b="\\$HOME \`x\` $(printf '\\x03\\x04')" ~. %s\r\n${'z'.repeat(10000)}`;
  const script = `cat <<'EOF_MODUS' | od -An -v -tx1 | tr -d ' \\n'\n${tricky}\nEOF_MODUS`;
  const r = await runOn(t, { script });
  assert.equal(r.outcome.kind, 'exited');
  const expected = Buffer.from(`${tricky}\n`, 'utf8').toString('hex');
  assert.equal(r.output.replace(/\r?\n/g, ''), expected);
});

test(':dir is where the block starts; a missing directory is a clear failure', { skip: skip ?? false }, async () => {
  const t = ssh.f.target();
  const ok = await runOn(t, { script: 'pwd', cwd: '/usr/share' });
  assert.equal(ok.output.trim(), '/usr/share');
  const missing = await runOn(t, { script: 'pwd', cwd: '/no/such/dir' });
  assert.equal(missing.outcome.kind, 'failed');
  assert.match((missing.outcome as { message: string }).message, /working directory \/no\/such\/dir does not exist on h1/);
});

test('interpreters come from the remote PATH; a missing one says so', { skip: skip ?? false }, async () => {
  const t = ssh.f.target();
  const py = await runOn(t, { language: 'python3', script: 'import sys\nprint("py", sys.version_info[0])' });
  assert.deepEqual(py.outcome, { kind: 'exited', exitCode: 0 });
  assert.match(py.output, /py 3/);
  const none = await runOn(t, { language: 'no-such-lang', script: 'x' });
  assert.equal(none.outcome.kind, 'failed');
  assert.match((none.outcome as { message: string }).message, /"no-such-lang" is not on the remote PATH/);
});

test('a session keeps cwd and variables between runs', { skip: skip ?? false }, async () => {
  const t = ssh.f.target();
  const s = await t.openSession('s1');
  await runOn(s, { script: 'cd /tmp; X=42' });
  const r = await runOn(s, { script: 'echo "$X in $(pwd)"' });
  assert.deepEqual(r.outcome, { kind: 'exited', exitCode: 0 });
  assert.equal(r.output.trim(), '42 in /tmp');
  const py = await runOn(s, { language: 'python3', script: 'import os; print(os.getcwd())' });
  assert.equal(py.output.trim(), '/tmp');
  await s.dispose();
});
