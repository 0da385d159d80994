// When a block's ssh client is over. A multiplexed client exits once the
// master has written all the output into Modus's pipe; the pipe may still
// hold the end of it, end marker included. Node resumes a paused stdout when
// its process exits, but a reader whose event loop is busy (the captures of
// 200 hosts) may read it seconds later: closing the pipes a second after the
// exit lost it (9 of 200 hosts "lost their connection" after ending well).
// While the run still waits for its end marker, the pipes stay open until
// the master closes them; once it has it (or was stopped), a second after
// the exit they are closed, as a remote process left holding the session
// would keep them open for ever. Node's own fake clock stands in for time.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { ChildProcess } from 'node:child_process';
import { clientEnded } from '../../../main/targets/ssh/ssh-client.js';

/** A client process: its stdio as streams, its exit and close as events. */
function fakeClient(): ChildProcess & { stdout: PassThrough; stderr: PassThrough; stdin: PassThrough } {
  return Object.assign(new EventEmitter(), { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough() }) as unknown as ChildProcess & {
    stdout: PassThrough;
    stderr: PassThrough;
    stdin: PassThrough;
  };
}

test('while the end marker is awaited, the pipes outlive the exit for as long as it takes, and what comes late is read', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const child = fakeClient();
  let waiting = true;
  let settled = false;
  const read: string[] = [];
  child.stdout.on('data', (b: Buffer) => read.push(b.toString()));
  const ended = clientEnded(child, { keepReading: () => waiting }).then((r) => ((settled = true), r));
  child.emit('exit', 0, null);
  t.mock.timers.tick(30_000);
  await Promise.resolve();
  assert.equal(settled, false, 'still waiting 30 s after the exit');
  assert.equal(child.stdout.destroyed, false);
  child.stdout.write('the last lines and the end marker');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(read, ['the last lines and the end marker']);
  // The marker is in: a second later the pipes go, whoever still holds them.
  waiting = false;
  t.mock.timers.tick(1_000);
  assert.deepEqual(await ended, { code: 0 });
  assert.equal(child.stdout.destroyed, true);
});

test('with nothing more awaited (the end marker read, or the block stopped), the pipes are closed a second after the exit', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  for (const keepReading of [undefined, () => false]) {
    const child = fakeClient();
    let settled = false;
    const ended = clientEnded(child, keepReading ? { keepReading } : {}).then((r) => ((settled = true), r));
    child.emit('exit', 255, null);
    t.mock.timers.tick(999);
    await Promise.resolve();
    assert.equal(settled, false);
    t.mock.timers.tick(1);
    assert.deepEqual(await ended, { code: 255 });
    assert.equal(child.stdout.destroyed && child.stderr.destroyed && child.stdin.destroyed, true);
  }
});

test('pipes closed by the master end it at once, exit or not', async () => {
  const child = fakeClient();
  const ended = clientEnded(child, { keepReading: () => true });
  child.emit('close', 0, null);
  assert.deepEqual(await ended, { code: 0 });
});
