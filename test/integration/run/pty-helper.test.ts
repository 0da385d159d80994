// Blocks run on ptys of the pty helper, a small process of its own, so that
// starting one costs the same however big Modus has grown (fork copies the
// page tables of the forking process). What a user would see: blocks run as
// before, and if the helper dies under a block, the block ends `failed` with
// a message that says so, nothing it started is left running, and the next
// block runs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { LocalTarget } from '../../../main/targets/local.js';
import { PtyHelper } from '../../../main/targets/pty-host/helper-client.js';
import type { RunIO } from '../../../main/targets/target.js';
import { parentPid, processRunning, waitUntil } from '../../helpers/processes.js';
import { notebook, scratch, startModus } from './helpers.js';

function io(onText: (all: string) => void = () => undefined): { io: RunIO; text: () => string } {
  let all = '';
  return {
    io: {
      signal: new AbortController().signal,
      onData: (b) => {
        all += Buffer.from(b).toString('utf8');
        onText(all);
      },
    },
    text: () => all,
  };
}

test("a block's program runs under the pty helper, not under Modus", async () => {
  const target = new LocalTarget({ defaultCwd: '/' });
  try {
    // Start the helper (the first block does), then look at a live block's parents.
    assert.deepEqual(await target.run({ language: 'sh', script: 'true' }, io().io), { kind: 'exited', exitCode: 0 });
    const helper = PtyHelper.shared().pid!;
    assert.notEqual(helper, process.pid);
    const live = io();
    const run = target.run({ language: 'sh', script: 'echo "me=$$"; sleep 30' }, live.io);
    await waitUntil('the block printed its pid', () => /me=\d+/.test(live.text()));
    const me = Number(/me=(\d+)/.exec(live.text())![1]);
    assert.equal(parentPid(parentPid(me)), helper, 'block → wrapper sh → pty helper');
    process.kill(-parentPid(me), 'SIGKILL');
    assert.equal((await run).kind, 'exited');
  } finally {
    await target.dispose();
  }
});

test('the helper killed under a running block: the block fails saying so, its processes are gone, the next block runs', async () => {
  const target = new LocalTarget({ defaultCwd: '/' });
  try {
    const first = io();
    const running = target.run({ language: 'sh', script: 'trap "" HUP; echo "me=$$"; sleep 60; echo never' }, first.io);
    await waitUntil('the block printed its pid', () => /me=\d+/.test(first.text()));
    const me = Number(/me=(\d+)/.exec(first.text())![1]);
    process.kill(PtyHelper.shared().pid!, 'SIGKILL');
    const outcome = await running;
    assert.equal(outcome.kind, 'failed');
    assert.match((outcome as { message: string }).message, /^the pty helper process ended \(SIGKILL\) while the program ran; the program was stopped$/);
    // It ignored SIGHUP from the lost terminal; Modus stopped it anyway.
    await waitUntil(`block process ${me} is gone`, () => !processRunning(me));
    const next = io();
    assert.deepEqual(await target.run({ language: 'sh', script: 'echo after' }, next.io), { kind: 'exited', exitCode: 0 });
    assert.equal(next.text(), 'after\r\n');
  } finally {
    await target.dispose();
  }
});

test('`modus run` killed with -9: its pty helper exits and the blocks it ran are gone; the notebook is intact', async () => {
  const dir = await scratch();
  const text = '# t\n\n```sh\necho "me=$$" > pid; sleep 60\n```\n';
  const nb = await notebook(dir, text);
  const { child, done } = startModus(['run', nb], dir);
  let me = 0;
  await waitUntil('the block wrote its pid', () => {
    try {
      me = Number(/me=(\d+)/.exec(readFileSync(`${dir}/pid`, 'utf8'))?.[1] ?? 0);
    } catch {
      me = 0;
    }
    return me > 0;
  });
  const helper = parentPid(parentPid(me));
  assert.notEqual(helper, child.pid);
  child.kill('SIGKILL');
  await done;
  await waitUntil(`the pty helper ${helper} exited`, () => !processRunning(helper));
  await waitUntil(`block process ${me} is gone`, () => !processRunning(me));
  assert.equal(await readFile(nb, 'utf8'), text);
});
