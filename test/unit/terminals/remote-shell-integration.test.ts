// The remote command of an SSH tab with shell integration, as text: what
// every login shell must read alike (csh and fish cannot run here, so the
// rules they impose are checked on the text itself), and that its words
// decode, as printf %b would, to the launcher holding the local scripts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { remoteIntegrationCommand, remoteLauncher } from '../../../main/terminals/remote-shell-integration.js';
import { BASH_RC, ZSH_FILES } from '../../../main/terminals/shell-integration.js';

const NONCE = '0123456789abcdef'.repeat(2);
const PREFIX = `exec /bin/sh -c 'eval "$(printf %b "$@")"' modus `;

/** printf %b's escapes, as far as the encoding uses them. */
function printfB(word: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < word.length; i++) {
    if (word[i] === '\\') {
      assert.equal(word[i + 1], '0', `a backslash not starting \\0NNN at ${i}`);
      bytes.push(parseInt(word.slice(i + 2, i + 5), 8));
      i += 4;
    } else bytes.push(word.charCodeAt(i));
  }
  return Buffer.from(bytes);
}

test('the remote command is one fixed line and single-quoted words that csh and fish read as sh does', () => {
  const command = remoteIntegrationCommand(NONCE);
  assert.ok(command.startsWith(PREFIX));
  const rest = command.slice(PREFIX.length);
  assert.match(rest, /^'[^']*'( '[^']*')*$/, 'only single-quoted words after the fixed part');
  const words = [...rest.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
  // Printable ASCII only (no newline: csh ends a quoted word there), no `!` (csh's history), no backslash but \0NNN (fish reads \\ and \').
  for (const w of words) {
    assert.match(w, /^[\x20-\x7e]*$/);
    assert.ok(!w.includes('!'));
    assert.doesNotMatch(w, /\\(?!0[0-7]{3})/);
    assert.ok(w.length <= 1000, `a word of ${w.length} characters`);
  }
  assert.ok(words.length > 1, 'long enough to be cut in several words');
  assert.equal(Buffer.concat(words.map(printfB)).toString('utf8'), remoteLauncher(NONCE), 'the words decode to the launcher');
});

test('the launcher carries the local scripts as they are, and the nonce only where the shell\'s environment is set', () => {
  const launcher = remoteLauncher(NONCE);
  assert.ok(launcher.includes(`exec 3<&-\n${BASH_RC}`), 'the bash rc script, whole');
  for (const text of Object.values(ZSH_FILES)) assert.ok(launcher.includes(text), 'each zsh startup file, whole');
  assert.deepEqual(
    launcher.split('\n').filter((l) => l.includes(NONCE)).map((l) => l.trim().replace(NONCE, 'N')),
    ['MODUS_SHELL_NONCE=N MODUS_SHELL_LOGIN=1', 'MODUS_SHELL_NONCE=N MODUS_ZDOTDIR_TEMPORARY=1 ZDOTDIR=$d'],
  );
  assert.throws(() => remoteLauncher('$(reboot)'), /hex digits/);
});
