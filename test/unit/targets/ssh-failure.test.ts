// What a failed connection tells the user: who ssh logged in as, whether
// anyone could have been asked for a password, and a command to try by hand
// that uses the same ssh config Modus was given.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySshFailure } from '../../../main/targets/ssh/ssh-failure.js';

const DENIED = 'root@198.51.100.7: Permission denied (publickey,password).\n';

test('an authentication failure names the user and address tried, and the port when it is not 22', () => {
  const m = classifySshFailure(DENIED, { label: 'r7', user: 'netops', hostname: '198.51.100.7', port: 2222 }).message;
  assert.match(m, /^authentication to r7 as netops@198\.51\.100\.7 port 2222 failed \(the server accepts: publickey,password\): check the user/);
  assert.match(classifySshFailure(DENIED, { label: 'r7', user: 'netops', hostname: '198.51.100.7', port: 22 }).message, /^authentication to r7 as netops@198\.51\.100\.7 failed/);
});

test('with nobody to ask (no terminal, no app), the failure says so and what to do', () => {
  const batch = classifySshFailure(DENIED, { label: 'r7', batch: true }).message;
  assert.match(batch, /nobody could be asked for a password or passphrase \(no terminal\): run from a terminal, or load the key into ssh-agent \(ssh-add\) first$/);
  assert.doesNotMatch(classifySshFailure(DENIED, { label: 'r7', batch: false }).message, /nobody could be asked/);
});

test('an unknown host key: the command to accept it by hand uses the ssh config Modus was given', () => {
  const stderr = 'No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.\nHost key verification failed.\n';
  const withFile = classifySshFailure(stderr, { label: 'h1', configFile: '/lab/ssh_config', fingerprint: 'SHA256:abc' }).message;
  assert.match(withFile, /or ssh -F \/lab\/ssh_config h1 once and answer yes$/);
  assert.match(classifySshFailure(stderr, { label: 'h1', fingerprint: 'SHA256:abc' }).message, /or ssh h1 once and answer yes$/);
});
