// `modus run` stopped by a signal leaves nothing running on the host: a
// hangup (the terminal closed, or the ssh session Modus ran in dropped)
// stops the blocks as Ctrl-C does and still writes their results; a second
// Ctrl-C quits at once, and the stops already under way still end their
// blocks, after which every ssh Modus started (they run in sessions of their
// own, which no signal to Modus reaches) ends.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { notebook, resultsBodies, scratch, startModusDetached } from '../run/helpers.js';
import { fixtureForFile } from './fixture.js';

const ssh = fixtureForFile();
const skip = ssh.skip ?? false;

/** Bounds a hang only: ssh on a loaded 2-core machine can take seconds. */
const DEADLINE_MS = 60_000;

async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${DEADLINE_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Command lines of the processes on this machine (the fixture's sshd runs here) that contain `text`. */
function processesWith(text: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(text)) found.push(`${name}: ${cmdline}`);
    } catch {
      // gone
    }
  }
  return found;
}

/** A block that runs until stopped, named by `token` on the host (`sh -c … TOKEN` shows it in ps). */
function longBlock(token: string, ignoreTerm = false): string {
  const trap = ignoreTerm ? 'trap \\"\\" TERM INT; ' : '';
  return `\`\`\`sh :host h1\necho started\nsh -c "${trap}sleep 600" ${token}\n\`\`\`\n`;
}

test('a hangup stops the blocks on the host as Ctrl-C does, and their results are written', { skip }, async () => {
  const dir = await scratch();
  const token = `modus-hup-${process.pid}`;
  const nb = await notebook(dir, longBlock(token));
  const run = startModusDetached(['run', nb, '--ssh-config', ssh.f.client.sshConfig], dir);
  await until('the block to run on the host', () => processesWith(token).length > 0);
  run.child.kill('SIGHUP');
  const r = await run.done;
  assert.equal(r.signal, null, `Modus ended by itself, not killed by the hangup: ${r.stderr}`);
  assert.equal(r.code, 1);
  const [res] = resultsBodies(await readFile(nb, 'utf8'));
  assert.ok(res, 'the block has its results');
  assert.match(res.attrs, /:status cancelled/);
  assert.match(res.body, /^started\n/);
  await until(`nothing of the block left on the host (${processesWith(token).join('; ')})`, () => processesWith(token).length === 0);
});

test('a second Ctrl-C quits at once; the stop under way still ends the block on the host, and then every ssh Modus started ends', { skip }, async () => {
  const dir = await scratch();
  const token = `modus-int2-${process.pid}`;
  // TERM and INT ignored: only the connection's end (the pty's hangup) ends it at once.
  const nb = await notebook(dir, longBlock(token, true));
  // Scratch of its own: another Modus (a test running beside this one) sweeps the control directories of dead ones, which would hide what this one left.
  const scratchRoot = join(dir, 'rt');
  await mkdir(scratchRoot, { mode: 0o700 });
  const run = startModusDetached(['run', nb, '--ssh-config', ssh.f.client.sshConfig], dir, { ...process.env, XDG_RUNTIME_DIR: scratchRoot });
  await until('the block to run on the host', () => processesWith(token).length > 0);
  // Modus's ssh processes name its control directory (`…/PID-ssh-…/N`): the block's client, its master.
  const mine = `/${run.child.pid}-ssh-`;
  assert.ok(processesWith(mine).length > 0, 'Modus has ssh processes of its own');
  run.child.kill('SIGINT');
  // The second Ctrl-C once the first one's remote kill is under way (two signals sent at once arrive as one); the block ignores TERM, so that kill is two seconds from done.
  const killClient = (): number | null => {
    const line = processesWith(mine).find((p) => p.includes('pkill'));
    return line === undefined ? null : Number(line.slice(0, line.indexOf(':')));
  };
  let held: number | null = null;
  await until('the remote kill to start', () => (held = killClient()) !== null);
  // Its client held (SIGSTOP) until Modus has quit: the orderly stop cannot end first, however fast or slow the machine.
  process.kill(held!, 'SIGSTOP');
  run.child.kill('SIGINT');
  const r = await run.done;
  process.kill(held!, 'SIGCONT');
  assert.equal(r.code, 130);
  await until(`nothing of the block left on the host (${processesWith(token).join('; ')})`, () => processesWith(token).length === 0);
  // Its masters stopped taking sessions and end with their last one: none idles on for ControlPersist's ten minutes.
  await until(`no ssh of that Modus left (${processesWith(mine).join('; ')})`, () => processesWith(mine).length === 0);
});
