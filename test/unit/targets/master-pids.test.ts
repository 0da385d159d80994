// Which processes are Modus's ControlMasters, read from their command lines:
// a wrong answer either leaves a master behind or ends a process that is not
// one (a block's client, the user's own ssh).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { masterSocketOf } from '../../../main/targets/ssh/master-pids.js';

const argv = (...a: string[]): string => `${a.join('\0')}\0`;

test('a master forked off by a first client is known by its title', () => {
  // setproctitle overwrites argv: one string, padded with NULs.
  assert.equal(masterSocketOf(`ssh: /run/modus/1-ssh-x/3 [mux]${'\0'.repeat(40)}`), '/run/modus/1-ssh-x/3');
});

test('a -N -f master is known by its arguments', () => {
  assert.equal(masterSocketOf(argv('/usr/bin/ssh', '-F', 'cfg', '-o', 'ControlMaster=yes', '-o', 'ControlPath=/s/1', '-o', 'ControlPersist=600', '-N', '-f', '--', 'h1')), '/s/1');
});

test('clients, the first client that became one, other programs and the user\'s own ssh are not masters', () => {
  assert.equal(masterSocketOf(argv('/usr/bin/ssh', '-o', 'ControlMaster=no', '-o', 'ControlPath=/s/1', '-tt', '--', 'h1', 'exec /bin/sh')), null);
  assert.equal(masterSocketOf(argv('/usr/bin/ssh', '-o', 'ControlMaster=yes', '-o', 'ControlPath=/s/1', '-o', 'ControlPersist=600', '-tt', '--', 'h1', 'cmd')), null);
  assert.equal(masterSocketOf(argv('/usr/bin/ssh', '-o', 'ControlPath=/s/1', '-O', 'exit', 'modus-control')), null);
  assert.equal(masterSocketOf(argv('/usr/bin/vim', 'ControlMaster=yes', '-N', 'ControlPath=/s/1')), null);
  assert.equal(masterSocketOf(argv('ssh', 'h1')), null);
  assert.equal(masterSocketOf(''), null);
});
