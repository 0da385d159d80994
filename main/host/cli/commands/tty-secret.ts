// Passwords and passphrases asked on the terminal `modus run` was started
// from: /dev/tty in raw mode without echo, so nothing typed is shown or
// kept in the scrollback, and it works even when stdin is redirected. One
// question at a time; Ctrl-C or Ctrl-D declines.

import { openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import type { SecretPrompter, SecretRequest } from '../../../targets/ssh/askpass.js';

/** A prompter on the controlling terminal, or null when there is none. */
export function ttySecretPrompter(before: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn()): SecretPrompter | null {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    return null;
  }
  let queue: Promise<unknown> = Promise.resolve();
  return (q) => {
    const next = queue.then(() => before(() => ask(fd, q)));
    queue = next.catch(() => undefined);
    return next;
  };
}

function ask(fd: number, q: SecretRequest): Promise<string | null> {
  const input = new ReadStream(fd);
  const output = new WriteStream(fd);
  const prompt = q.prompt.trim() || 'Password:';
  // Echo off before the question shows: whatever is typed as soon as it shows (or typed ahead) is never echoed.
  input.setRawMode(true);
  output.write(`modus: ${q.host} asks: ${prompt} `);
  return new Promise((resolve) => {
    let typed = '';
    const finish = (answer: string | null): void => {
      input.setRawMode(false);
      input.off('data', onData);
      input.pause();
      output.write('\r\n');
      resolve(answer);
    };
    const onData = (b: Buffer): void => {
      for (const ch of b.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(typed);
        if (ch === '\x03' || ch === '\x04') return finish(null);
        if (ch === '\x7f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else if (ch === '\x15') typed = '';
        else if (ch >= ' ') typed += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}
