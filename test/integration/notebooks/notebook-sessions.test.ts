// A notebook's `:session` shells in the app, on a real hub connection with
// real bash: they live across the notebook's runs, a terminal (term.create
// with `session`) takes one over by hand, the blocks of that session wait
// and say so meanwhile, and the hand-back (term.handBack, or closing the
// terminal) lets them run in the same shell. Closing the notebook ends its
// sessions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostMessage } from '../../../main/protocol.js';
import { processAlive, rendererFor, type TestRenderer } from '../terminals/hub-client.js';
import { EditorClient } from './editor-client.js';
import { makeClient, runsBelow, sshdAvailable, startSshd, stopSshd } from '../../helpers/sshd.js';
import { tempDir } from '../../helpers/temp-dir.js';

type Held = Extract<HostMessage, { type: 'term.held' }>;

const NOTEBOOK = [
  '# Sessions',
  '',
  '```bash :session s',
  'mkdir -p first && cd first && FROM_FIRST=1 && echo "pid $$"',
  '```',
  '',
  '```bash :session s',
  'echo "handset=${HANDSET:-unset} first=${FROM_FIRST:-unset} pwd=$PWD"',
  '```',
  '',
].join('\n');

async function setup(t: import('node:test').TestContext) {
  const dir = tempDir('modus-nbsess-');
  await mkdir(join(dir, 'somewhere'));
  const path = join(dir, 'sessions.md');
  await writeFile(path, NOTEBOOK);
  const r = rendererFor(t, { configDir: join(dir, 'config') });
  const ed = new EditorClient(r, 1);
  await ed.open(path);
  return { dir, path, r, ed };
}

function heldOf(r: TestRenderer, id: number): Held[] {
  return r.messages.filter((m): m is Held => m.type === 'term.held' && m.id === id);
}

function lastHeld(r: TestRenderer, id: number): Held | undefined {
  return heldOf(r, id).at(-1);
}

let nextTerm = 100;
function openSession(r: TestRenderer, block: number): number {
  const id = nextTerm++;
  r.connection.receive({ type: 'term.create', id, options: { cols: 90, rows: 25, cwd: null, session: { doc: 1, block, host: 'local' } } });
  return id;
}

async function trustAndRunFirst(r: TestRenderer, ed: EditorClient): Promise<number> {
  ed.trust();
  await r.waitFor(() => ed.trusted, 'trusted');
  const done = await ed.waitDone(ed.run({ kind: 'block', number: 1 }));
  assert.deepEqual(done.summary.counts, { pass: 1 });
  return Number(/pid (\d+)/.exec(ed.output(1))![1]);
}

test('a session lives across the notebook\'s runs in the app, and ends when the notebook is closed', async (t) => {
  const { dir, r, ed } = await setup(t);
  const pid = await trustAndRunFirst(r, ed);
  const second = await ed.waitDone(ed.run({ kind: 'block', number: 2 }));
  assert.deepEqual(second.summary.counts, { pass: 1 });
  assert.match(ed.output(2), new RegExp(`handset=unset first=1 pwd=${join(dir, 'first')}`), 'the second run found the first run\'s shell');
  assert.ok(processAlive(pid), 'the session\'s shell outlives the runs');
  r.connection.receive({ type: 'nb.close', doc: 1 });
  await r.waitFor(() => !processAlive(pid), 'the session\'s shell to end with its notebook');
});

test('held in a terminal, the session\'s next block waits and says so; handed back, it runs in the same shell and sees what was typed', async (t) => {
  const { dir, path, r, ed } = await setup(t);
  const pid = await trustAndRunFirst(r, ed);
  const id = openSession(r, 1);
  await r.waitFor(() => lastHeld(r, id)?.state === 'prompt', 'the held terminal at its prompt');
  assert.equal(lastHeld(r, id)!.title, 's · sessions.md');
  await r.waitForText(id, /\(s\) \S*first \$ $/);
  r.type(id, `export HANDSET=42; cd ${join(dir, 'somewhere')}; echo "typed in $$"\r`);
  await r.waitForText(id, `typed in ${pid}`);
  await r.waitFor(() => lastHeld(r, id)?.state === 'prompt', 'the prompt after the command');

  const run = ed.run({ kind: 'block', number: 2 });
  const waiting = await ed.waitAnalysis((a) => a.blocks[1]!.run?.state === 'waiting', 'block 2 waiting');
  assert.equal(waiting.blocks[1]!.run!.note, 'session "s" is held in terminal tab "s · sessions.md"; the block runs when it is handed back');
  assert.equal(ed.done.has(run), false);

  r.type(id, 'sleep 600\r');
  await r.waitFor(() => lastHeld(r, id)?.state === 'command', 'the command running');
  r.connection.receive({ type: 'term.handBack', id });
  const refused = await r.waitFor(() => heldOf(r, id).find((m) => m.message !== null && /cannot be handed back/.test(m.message)), 'the refusal');
  assert.equal(refused.message, 'session "s" cannot be handed back yet: sleep 600 is still running; end it (Ctrl+C) or wait for it, then hand back at the prompt');
  assert.equal(ed.done.has(run), false, 'still waiting');
  // The state comes just before the shell forks the command: a Ctrl+C in between would reach only the shell (trapped).
  await r.waitFor(() => runsBelow(pid, 'sleep'), 'sleep to run');
  r.type(id, '\x03');
  await r.waitFor(() => lastHeld(r, id)?.state === 'prompt', 'the prompt after Ctrl+C');

  r.connection.receive({ type: 'term.handBack', id });
  const ended = await r.waitFor(() => (lastHeld(r, id)?.state === 'ended' ? lastHeld(r, id) : null), 'handed back');
  assert.equal(ended.message, 'handed back to the notebook; its next block runs in this shell');
  const done = await ed.waitDone(run);
  assert.deepEqual(done.summary.counts, { pass: 1 });
  assert.match(ed.output(2), new RegExp(`handset=42 first=1 pwd=${join(dir, 'somewhere')}`));
  assert.match(await readFile(path, 'utf8'), new RegExp(`\`\`\`results :host local [^\\n]*:status pass[^\\n]*\\nhandset=42 first=1 pwd=${join(dir, 'somewhere')}\\n\`\`\``));
  // Typing into a handed-back terminal reaches nothing.
  r.type(id, 'echo stray\r');
  const again = await ed.waitDone(ed.run({ kind: 'block', number: 2 }));
  assert.deepEqual(again.summary.counts, { pass: 1 });
  assert.doesNotMatch(r.text(id), /\nstray/);
});

test('closing the terminal hands the session back; a waiting block can be cancelled; an untrusted notebook opens no session', async (t) => {
  const { r, ed } = await setup(t);
  const refusedId = openSession(r, 1);
  const refused = await r.waitFor(() => (lastHeld(r, refusedId)?.state === 'ended' ? lastHeld(r, refusedId) : null), 'the refusal');
  assert.match(refused.message!, /^sessions\.md is not trusted: its sessions open in a terminal only once you trust it/);

  await trustAndRunFirst(r, ed);
  const id = openSession(r, 2);
  await r.waitFor(() => lastHeld(r, id)?.state === 'prompt', 'held');
  const cancelled = ed.run({ kind: 'block', number: 2 });
  await ed.waitAnalysis((a) => a.blocks[1]!.run?.state === 'waiting', 'waiting');
  r.connection.receive({ type: 'nb.cancel', doc: 1, run: cancelled });
  const c = await ed.waitDone(cancelled);
  assert.deepEqual(c.summary.counts, { cancelled: 1 });
  assert.equal(lastHeld(r, id)?.state, 'prompt', 'still held');

  r.type(id, 'export HANDSET=closed-tab\r');
  await r.waitForText(id, /export HANDSET=closed-tab\r\n[^]*\$ $/);
  const run = ed.run({ kind: 'block', number: 2 });
  await ed.waitAnalysis((a) => a.blocks[1]!.run?.state === 'waiting', 'waiting again');
  r.connection.receive({ type: 'term.close', id });
  const done = await ed.waitDone(run);
  assert.deepEqual(done.summary.counts, { pass: 1 });
  assert.match(ed.output(2), /handset=closed-tab first=1/, 'the closed tab handed back, and the shell lived on');
});

test('opened while a block of the session runs, the terminal waits for it (and says so); what was typed meanwhile reaches the shell after', async (t) => {
  const dir = tempDir('modus-nbsess-');
  const gate = join(dir, 'gate');
  await new Promise<void>((resolve, reject) => execFile('mkfifo', [gate], (e) => (e ? reject(e) : resolve())));
  const path = join(dir, 'busy.md');
  await writeFile(path, ['```bash :session s', `echo started; cat ${gate} >/dev/null; echo released`, '```', '', '```bash :session s', 'echo "early=${EARLY:-unset}"', '```', ''].join('\n'));
  const r = rendererFor(t, { configDir: join(dir, 'config') });
  const ed = new EditorClient(r, 1);
  await ed.open(path);
  ed.trust();
  await r.waitFor(() => ed.trusted, 'trusted');
  const busy = ed.run({ kind: 'block', number: 1 });
  // Its output shows it is in the session's shell (block-start comes a little before).
  await r.waitFor(() => ed.output(1).includes('started'), 'block 1 running in the session');
  const id = openSession(r, 2);
  const waiting = await r.waitFor(() => (lastHeld(r, id)?.state === 'waiting' && lastHeld(r, id)?.message ? lastHeld(r, id) : null), 'the terminal waiting');
  assert.equal(waiting.message, 'session "s" is running a block; the terminal gets it when the block ends');
  r.type(id, 'export EARLY=typed-ahead\r');
  await writeFile(gate, 'go\n');
  assert.deepEqual((await ed.waitDone(busy)).summary.counts, { pass: 1 });
  await r.waitFor(() => lastHeld(r, id)?.state === 'prompt', 'held');
  await r.waitForText(id, /export EARLY=typed-ahead\r\n[^]*\$ $/);
  r.connection.receive({ type: 'term.handBack', id });
  const done = await ed.waitDone(ed.run({ kind: 'block', number: 2 }));
  assert.deepEqual(done.summary.counts, { pass: 1 });
  assert.match(ed.output(2), /early=typed-ahead/);
});

test('a :session on an SSH host opens in a terminal the same way: typed by hand on the host, seen by its next block', { skip: sshdAvailable() ?? false }, async (t) => {
  const dir = tempDir('modus-nbsess-ssh-');
  const host = await startSshd({ dir: join(dir, 'h1'), name: 'h1' });
  t.after(() => stopSshd(host, { sessions: true }));
  const client = await makeClient(join(dir, 'client'), [host]);
  await mkdir(join(dir, 'config'));
  const path = join(dir, 'remote.md');
  await writeFile(path, ['```bash :host h1 :session r', 'cd /tmp && echo "pid $$"', '```', '', '```bash :host h1 :session r', 'echo "by-hand=${BY_HAND:-unset} pwd=$PWD"', '```', ''].join('\n'));
  const r = rendererFor(t, { configDir: join(dir, 'config'), settings: { sshConfig: client.sshConfig } });
  const ed = new EditorClient(r, 1);
  await ed.open(path);
  ed.trust();
  await r.waitFor(() => ed.trusted, 'trusted');
  const a = await ed.waitAnalysis((x) => x.blocks.length === 2, 'the analysis');
  assert.deepEqual(a.blocks[0]!.session, { name: 'r', hosts: ['h1'] });
  assert.deepEqual((await ed.waitDone(ed.run({ kind: 'block', number: 1 }))).summary.counts, { pass: 1 });
  const pid = /pid (\d+)/.exec(ed.output(1))![1]!;
  const id = nextTerm++;
  r.connection.receive({ type: 'term.create', id, options: { cols: 90, rows: 25, cwd: null, session: { doc: 1, block: 1, host: 'h1' } } });
  await r.waitFor(() => lastHeld(r, id)?.state === 'prompt', 'held');
  assert.equal(lastHeld(r, id)!.title, 'r @ h1 · remote.md');
  r.type(id, 'export BY_HAND=yes; cd /usr; echo "same $$"\r');
  await r.waitForText(id, `same ${pid}`);
  const run = ed.run({ kind: 'block', number: 2 });
  const waiting = await ed.waitAnalysis((x) => x.blocks[1]!.run?.state === 'waiting', 'block 2 waiting');
  assert.equal(waiting.blocks[1]!.run!.note, 'session "r" is held in terminal tab "r @ h1 · remote.md"; the block runs when it is handed back');
  await r.waitFor(() => lastHeld(r, id)?.state === 'prompt', 'at the prompt');
  r.connection.receive({ type: 'term.handBack', id });
  assert.deepEqual((await ed.waitDone(run)).summary.counts, { pass: 1 });
  assert.match(ed.output(2), /by-hand=yes pwd=\/usr/);
});
