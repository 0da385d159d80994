// Terminals through the hub: start, where, resize, cwd tracking, exit, close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { homedir, hostname } from 'node:os';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rendererFor, childPids, processAlive } from './hub-client.js';

const sh = { shell: '/bin/sh', shellArgs: [] as string[] };
const prompt = /[$#] $/;

test('a terminal runs the configured shell in home, with the terminal environment', async (t) => {
  const r = rendererFor(t, { settings: sh });
  r.connection.receive({ type: 'hello', protocol: 1 });
  const id = r.create();
  const created = await r.waitFor(() => r.terminals.get(id)!.created, 'term.created');
  assert.deepEqual(r.messages.slice(0, 2).map((m) => m.type), ['welcome', 'term.created'], 'hello is answered before anything sent after it');
  assert.equal(created.shell, '/bin/sh');
  assert.equal(created.cwd, homedir());
  await r.waitForText(id, prompt);
  r.type(id, 'echo "[$TERM $COLORTERM $TERM_PROGRAM $(pwd)]"\n');
  await r.waitForText(id, `[xterm-256color truecolor Modus ${homedir()}]`);
});

test('a missing working directory falls back to home, and the terminal says why', async (t) => {
  const r = rendererFor(t, { settings: sh });
  const id = r.create({ cwd: '/no/such/dir' });
  const created = await r.waitFor(() => r.terminals.get(id)!.created, 'term.created');
  assert.equal(created.cwd, homedir());
  await r.waitForText(id, `modus: The directory /no/such/dir does not exist; starting in ${homedir()}.`);
});

test('a shell from settings that cannot run falls back to $SHELL with a notice', async (t) => {
  const r = rendererFor(t, { settings: { shell: '/no/such/shell' }, env: { ...process.env, SHELL: '/bin/sh' } });
  const id = r.create();
  const created = await r.waitFor(() => r.terminals.get(id)!.created, 'term.created');
  assert.equal(created.shell, '/bin/sh');
  await r.waitForText(id, 'The shell "/no/such/shell" from settings cannot be run (not found or not executable); using /bin/sh. Fix "shell" in the settings file.');
});

test('resize reaches the pty', async (t) => {
  const r = rendererFor(t, { settings: sh });
  const id = r.create({ cols: 80, rows: 24 });
  await r.waitForText(id, prompt);
  r.connection.receive({ type: 'term.resize', id, cols: 132, rows: 43 });
  r.type(id, 'stty size\n');
  await r.waitForText(id, '43 132');
});

test('the working directory is tracked from OSC 7, and from /proc for shells that do not report it', async (t) => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'modus cwd ')));
  t.after(() => rmSync(dir, { recursive: true }));
  const r = rendererFor(t, { settings: sh });
  const quiet = r.create();
  await r.waitForText(quiet, prompt);
  // The cd runs a second after Enter, long after the first look at /proc (300 ms of quiet):
  // the prompt that follows it makes Modus look again, as a slow shell on a loaded machine would.
  r.type(quiet, `sleep 1; cd '${dir}'\n`);
  await r.waitFor(() => r.terminals.get(quiet)!.cwds.includes(dir), '/proc cwd fallback');

  const reporting = r.create();
  await r.waitForText(reporting, prompt);
  // A space in the path travels percent-encoded, as shells send it.
  r.type(reporting, `printf '\\033]7;file://%s%s\\033\\\\' "${hostname()}" '${encodeURI(`${dir}/reported`)}'\n`);
  await r.waitFor(() => r.terminals.get(reporting)!.cwds.includes(`${dir}/reported`), 'OSC 7 cwd');
});

test('the shell exiting sends term.exit with its status', async (t) => {
  const r = rendererFor(t, { settings: sh });
  const id = r.create();
  await r.waitForText(id, prompt);
  r.type(id, 'exit 3\n');
  const exit = await r.waitFor(() => r.terminals.get(id)!.exit, 'term.exit');
  assert.deepEqual(exit, { exitCode: 3, signal: null });
});

test('closing a terminal ends everything it started, background jobs included', async (t) => {
  const r = rendererFor(t, { settings: { shell: '/bin/bash', shellArgs: ['--norc', '--noprofile', '-i'] } });
  const id = r.create();
  const created = await r.waitFor(() => r.terminals.get(id)!.created, 'term.created');
  await r.waitForText(id, prompt);
  r.type(id, 'sleep 1001 & sleep 1002\n');
  const sleeps = await r.waitFor(() => {
    const pids = childPids(created.pid, 'sleep');
    return pids.length === 2 && pids;
  }, 'a background and a foreground sleep');
  r.connection.receive({ type: 'term.close', id });
  await r.waitFor(() => !processAlive(created.pid), 'the shell to end');
  await r.waitFor(() => sleeps.every((pid) => !processAlive(pid)), 'both jobs to end');
  await r.waitFor(() => r.terminals.get(id)!.exit, 'term.exit after close');
});

test('a connection that goes away takes its terminals with it; a reused id is refused', async (t) => {
  const r = rendererFor(t, { settings: sh });
  const id = r.create();
  const created = await r.waitFor(() => r.terminals.get(id)!.created, 'term.created');
  r.connection.receive({ type: 'term.create', id, options: { cols: 80, rows: 24, cwd: null } });
  const e = await r.waitFor(() => r.messages.find((m) => m.type === 'error'), 'an error');
  assert.match(e.type === 'error' ? e.message : '', /terminal id 1 is already used in this connection/);
  assert.equal(r.hub.terminalCount, 1);
  r.connection.close();
  assert.equal(r.hub.terminalCount, 0);
  await r.waitFor(() => !processAlive(created.pid), 'the shell to end');
});
