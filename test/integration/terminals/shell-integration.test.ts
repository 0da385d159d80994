// Shell integration through a real hub connection with real bash and zsh:
// the user's own rc file (a PROMPT_COMMAND or precmd hook, a custom prompt)
// keeps working, each command is reported with its exit status and its
// output, a program that prints fake marks does not cut its output, and
// Send to notebook appends blocks that `modus run` reproduces.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rendererFor, type TestRenderer } from './hub-client.js';
import type { HostMessage } from '../../../main/protocol.js';
import { findExecutable } from '../../../main/files/find-executable.js';
import { tempDir } from '../../helpers/temp-dir.js';

const REPO = join(import.meta.dirname, '..', '..', '..', '..');
const MODUS = join(REPO, 'bin', 'modus.js');

type CommandMsg = Extract<HostMessage, { type: 'term.command' }>;

function commandsOf(r: TestRenderer, id: number): CommandMsg[] {
  return r.messages.filter((m): m is CommandMsg => m.type === 'term.command' && m.id === id);
}

/** The terminal's text without OSC sequences (the marks sit between the prompt hook's output and the prompt). */
function visible(r: TestRenderer, id: number): string {
  // eslint-disable-next-line no-control-regex -- escape sequences are what is removed
  return r.text(id).replace(/\x1b(?:\][^\x07\x1b]*(?:\x07|\x1b\\)|\[[0-9;?]*[A-Za-z]|[=>])/g, '');
}

async function waitVisible(r: TestRenderer, id: number, pattern: string | RegExp): Promise<void> {
  await r.waitFor(() => (typeof pattern === 'string' ? visible(r, id).includes(pattern) : pattern.test(visible(r, id))), `${String(pattern)} in the terminal`, 20_000);
}

function home(rc: Record<string, string>): string {
  const dir = tempDir('modus-si-');
  for (const [name, text] of Object.entries(rc)) writeFileSync(join(dir, name), text);
  return dir;
}

function start(t: import('node:test').TestContext, shell: string, homeDir: string): { r: TestRenderer; id: number } {
  const r = rendererFor(t, { env: { ...process.env, HOME: homeDir, SHELL: shell }, home: homeDir });
  const id = r.create({ cols: 100, rows: 30, cwd: homeDir });
  return { r, id };
}

for (const [shell, rcFile, rc] of [
  ['bash', '.bashrc', 'PS1="mine> "\nPROMPT_COMMAND=\'printf "[pc]"\'\n'],
  ['zsh', '.zshrc', 'PS1="mine> "\nprecmd() { print -n "[pc]" }\n'],
] as const) {
  const skip = findExecutable(shell) ? false : `skipped: no ${shell} on PATH`;
  test(`${shell}: the user's prompt and prompt hook are kept; each command is reported with its exit status and output`, { skip }, async (t) => {
    const dir = home({ [rcFile]: rc });
    const { r, id } = start(t, shell, dir);
    const created = await r.waitFor(() => r.terminals.get(id)?.created, 'created');
    assert.match(created.marks ?? '', /^[0-9a-f]{32}$/, 'the shell runs with integration');
    await waitVisible(r, id, 'mine> ');
    r.type(id, 'echo hello; echo world\r');
    await r.waitFor(() => commandsOf(r, id).length >= 1, 'the first command reported');
    r.type(id, 'false\r');
    await r.waitFor(() => commandsOf(r, id).length >= 2, 'the second command reported');
    r.type(id, 'cd /tmp && pwd\r');
    const all = await r.waitFor(() => (commandsOf(r, id).length >= 3 ? commandsOf(r, id) : false), 'three commands');
    assert.deepEqual(all.map((c) => [c.seq, c.command, c.exitCode]), [[1, 'echo hello; echo world', 0], [2, 'false', 1], [3, 'cd /tmp && pwd', 0]]);
    assert.equal(all[0]!.cwd, dir);
    // The prompt is the user's own, and their hook ran, every time.
    await r.waitFor(() => visible(r, id).split('mine> ').length - 1 >= 4, 'the fourth prompt', 20_000);
    const shown = visible(r, id);
    assert.ok(shown.split('mine> ').length - 1 >= 4 && shown.split('[pc]').length - 1 >= 4, shown);
    // The next command runs where the last one left the shell (OSC 7 from the prompt hook).
    await r.waitFor(() => r.terminals.get(id)!.cwds.includes('/tmp'), 'cwd /tmp reported');
  });
}

test('a program printing marks without the nonce (a fake prompt, a fake end) does not cut its output', async (t) => {
  const dir = home({});
  const { r, id } = start(t, '/bin/bash', dir);
  await r.waitFor(() => r.terminals.get(id)?.created, 'created');
  await waitVisible(r, id, /[$#] $/m);
  r.type(id, "printf 'before\\n\\033]133;D;0\\a\\033]133;A\\a\\033]133;D;0;k=00000000000000000000000000000000\\aafter\\n'\r");
  const [c] = await r.waitFor(() => (commandsOf(r, id).length >= 1 ? commandsOf(r, id) : false), 'the command');
  r.connection.receive({ type: 'term.toNotebook', id, seqs: [c!.seq], path: join(dir, 'fake.md') });
  await r.waitFor(() => r.messages.some((m) => m.type === 'term.sent'), 'sent');
  const text = readFileSync(join(dir, 'fake.md'), 'utf8');
  assert.match(text, /```results [^\n]*:exit 0 :status pass[^\n]*\nbefore\nafter\n```/, text);
});

test('Send to notebook appends each command as a block and its results; modus run of the notebook reproduces the output', async (t) => {
  const dir = home({});
  const { r, id } = start(t, '/bin/bash', dir);
  await r.waitFor(() => r.terminals.get(id)?.created, 'created');
  await waitVisible(r, id, /[$#] $/m);
  r.type(id, "printf 'line %s\\n' 1 2 3\r");
  await r.waitFor(() => commandsOf(r, id).length >= 1, 'first');
  r.type(id, 'ls nothing-here\r');
  const cmds = await r.waitFor(() => (commandsOf(r, id).length >= 2 ? commandsOf(r, id) : false), 'second');
  const notebook = join(dir, 'notes.md');
  r.connection.receive({ type: 'term.toNotebook', id, seqs: cmds.map((c) => c.seq), path: notebook });
  const sent = await r.waitFor(() => r.messages.find((m): m is Extract<HostMessage, { type: 'term.sent' }> => m.type === 'term.sent'), 'sent');
  assert.deepEqual([sent.path, sent.count], [notebook, 2]);
  const text = readFileSync(notebook, 'utf8');
  assert.match(text, /^# Notes from bash, \d{4}-\d\d-\d\d\n\n```bash :dir \S+\nprintf 'line %s\\n' 1 2 3\n```\n\n```results :host local :at \S+ :took \S+ :exit 0 :status pass :hash [0-9a-f]{12}\nline 1\nline 2\nline 3\n```\n/);
  assert.match(text, /```bash :dir \S+\nls nothing-here\n```\n\n```results [^\n]*:exit 2 :status fail[^\n]*\nls: cannot access 'nothing-here': No such file or directory\nmodus: exit status 2, expected 0\n```\n$/);
  const check = execFileSync(process.execPath, [MODUS, 'check', notebook], { encoding: 'utf8' });
  assert.match(check, /no problems/, 'the hashes match what modus would run: nothing is stale');
  let run = '';
  try {
    run = execFileSync(process.execPath, [MODUS, 'run', notebook, '--keep-going'], { encoding: 'utf8', cwd: dir });
  } catch (e) {
    run = String((e as { stdout?: string }).stdout);
  }
  assert.match(run, /1 pass, 1 fail/);
  const again = readFileSync(notebook, 'utf8');
  const bodies = (s: string) => [...s.matchAll(/```results [^\n]*\n([^]*?)\n```/g)].map((m) => m[1]);
  assert.deepEqual(bodies(again), bodies(text), 'modus run printed the same output');
});

test('recording appends every command as it ends; stopping ends it', async (t) => {
  const dir = home({});
  const { r, id } = start(t, '/bin/bash', dir);
  await r.waitFor(() => r.terminals.get(id)?.created, 'created');
  await waitVisible(r, id, /[$#] $/m);
  const notebook = join(dir, 'lab.md');
  r.connection.receive({ type: 'term.record', id, path: notebook });
  await r.waitFor(() => r.messages.some((m) => m.type === 'term.recording' && m.path === notebook), 'recording');
  // Typed at once, so the commands end a moment apart and their appends would overlap: they must land in order.
  const commands = Array.from({ length: 10 }, (_, i) => `echo line-${i + 1}`);
  r.type(id, commands.map((c) => `${c}\r`).join(''));
  await r.waitFor(() => r.messages.filter((m) => m.type === 'term.sent').length >= commands.length, 'ten appended');
  r.connection.receive({ type: 'term.record', id, path: null });
  await r.waitFor(() => r.messages.some((m) => m.type === 'term.recording' && m.path === null), 'stopped');
  r.type(id, 'echo not-recorded\r');
  await r.waitFor(() => commandsOf(r, id).length >= commands.length + 1, 'the command after recording stopped');
  const text = readFileSync(notebook, 'utf8');
  assert.deepEqual([...text.matchAll(/```bash[^\n]*\n(.*)\n```/g)].map((m) => m[1]), commands);
});
