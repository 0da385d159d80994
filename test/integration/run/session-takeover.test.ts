// Taking a `:session` shell over by hand (takeOver), with a real bash on a
// real pty, locally and on a real sshd: what is typed runs in the session's
// own shell, runs asked meanwhile wait and say why, handing back happens at
// the prompt only (a command left running refuses it clearly), cancel works
// while a run waits, and the shell the engine gets back is as it left it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalTarget } from '../../../main/targets/local.js';
import type { HoldEnd, RunIO, ScriptOutcome, SessionHold, SessionHolder, Target, TargetSession } from '../../../main/targets/target.js';
import { sshFixture, sshSkipReason, type SshFixture } from '../ssh/fixture.js';
import { runsBelow } from '../../helpers/sshd.js';
import { scratch } from './helpers.js';

const sshSkip = sshSkipReason();
let ssh: SshFixture | undefined;
before(async () => {
  if (!sshSkip) ssh = await sshFixture();
});
after(async () => {
  await ssh?.close();
});

const HANG_GUARD_MS = 60_000;

/** Polls a condition (no fixed sleeps); fails with `what` after a generous guard. */
async function waitFor<T>(condition: () => T | false | null | undefined, what: string): Promise<T> {
  const deadline = Date.now() + HANG_GUARD_MS;
  for (;;) {
    const v = condition();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A terminal tab as the hub makes one: collects the shell's output and what the hold says. */
class Tab implements SessionHolder {
  output = '';
  /** onState calls: null at the prompt, else the command running. */
  readonly states: (string | null)[] = [];
  readonly waits: string[] = [];
  end: HoldEnd | null = null;
  hold!: SessionHold;
  constructor(readonly where: string) {}
  onData(bytes: Uint8Array): void {
    this.output += Buffer.from(bytes).toString('utf8');
  }
  onWaiting(why: string): void {
    this.waits.push(why);
  }
  onState(command: string | null): void {
    this.states.push(command);
  }
  onEnd(end: HoldEnd): void {
    this.end = end;
  }
  get atPrompt(): boolean {
    return this.states.length > 0 && this.states[this.states.length - 1] === null;
  }
  /** Types a line and waits for the prompt after it. */
  async type(line: string): Promise<void> {
    const prompts = this.states.filter((s) => s === null).length;
    this.hold.write(`${line}\r`);
    await waitFor(() => this.states.filter((s) => s === null).length > prompts, `the prompt after ${JSON.stringify(line)}`);
  }
}

async function takeOver(s: TargetSession, tab: Tab, signal = new AbortController().signal): Promise<SessionHold> {
  const hold = await s.takeOver!(tab, { cols: 100, rows: 30 }, signal);
  if ('error' in hold) throw new Error(hold.error);
  tab.hold = hold;
  // The P marker comes just before readline draws the prompt.
  await waitFor(() => tab.atPrompt && /\$ $/.test(tab.output), 'the first prompt');
  return hold;
}

interface Pending {
  done: Promise<{ outcome: ScriptOutcome; text: string }>;
  finished: () => boolean;
  waiting: (string | null)[];
}

function start(s: TargetSession, script: string, signal = new AbortController().signal): Pending {
  const chunks: Buffer[] = [];
  const waiting: (string | null)[] = [];
  let finished = false;
  const io: RunIO = { signal, onData: (b) => void chunks.push(Buffer.from(b)), waiting: (why) => void waiting.push(why) };
  const done = s.run({ language: 'bash', script }, io).then((outcome) => {
    finished = true;
    return { outcome, text: Buffer.concat(chunks).toString('utf8') };
  });
  return { done, finished: () => finished, waiting };
}

async function runText(s: TargetSession, script: string): Promise<string> {
  const r = await start(s, script).done;
  assert.deepEqual(r.outcome, { kind: 'exited', exitCode: 0 }, r.text);
  return r.text;
}

type Kind = 'local' | 'ssh';

/** A session `s` on this machine or on the test sshd (the same machine: the same files). */
async function setup(kind: Kind): Promise<{ dir: string; target: Target; s: TargetSession }> {
  const dir = await realpath(await scratch());
  await mkdir(join(dir, 'sub'));
  await mkdir(join(dir, 'somewhere'));
  const target = kind === 'local' ? new LocalTarget({ defaultCwd: dir }) : ssh!.target();
  // Both start in the scratch directory (a local session starts in the notebook's directory, which it is here).
  const s = await target.openSession('s', kind === 'ssh' ? { cwd: dir } : {});
  return { dir, target, s };
}

/** Each scenario, on a local session and on one over SSH. */
function both(name: string, fn: (kind: Kind) => Promise<void>): void {
  test(`local: ${name}`, () => fn('local'));
  test(`ssh: ${name}`, { skip: sshSkip ?? false }, () => fn('ssh'));
}

both('typed by hand in the session\'s own shell; a run asked meanwhile waits and says where the session is; handed back at the prompt it runs and sees the variable and the cd', async (kind) => {
  const { dir, target, s } = await setup(kind);
  try {
    await runText(s, 'cd sub; FROM_BLOCK=1');
    const pid = await runText(s, 'echo $$');
    const tab = new Tab('terminal tab "s · notes.md"');
    const hold = await takeOver(s, tab);
    assert.match(tab.output, /\(s\) \S*sub \$ $/, 'the prompt names the session and its cwd');
    await tab.type('echo "pid $$ from-block $FROM_BLOCK"');
    assert.match(tab.output, new RegExp(`pid ${pid.trim()} from-block 1`), 'the same process, with what the blocks set');
    await tab.type(`export HANDSET=42; cd ${join(dir, 'somewhere')}`);
    const next = start(s, 'echo "$HANDSET $PWD"');
    await waitFor(() => next.waiting.length > 0, 'the run to say it waits');
    assert.equal(next.waiting[0], 'session "s" is held in terminal tab "s · notes.md"; the block runs when it is handed back');
    assert.equal(next.finished(), false, 'it has not run');
    assert.deepEqual(hold.handBack(), { ok: true });
    assert.deepEqual(await hold.ended, { kind: 'handed-back', how: 'request' });
    const r = await next.done;
    assert.deepEqual(r.outcome, { kind: 'exited', exitCode: 0 });
    assert.equal(r.text, `42 ${join(dir, 'somewhere')}\r\n`);
    assert.deepEqual(next.waiting, [next.waiting[0], null], 'told when it starts');
    assert.deepEqual(tab.end, { kind: 'handed-back', how: 'request' });
    assert.equal(await runText(s, 'echo $$'), pid, 'still the same shell');
  } finally {
    await target.dispose();
  }
});

both('the shell handed back is as the engine left it: traps, options, terminal modes, COLUMNS, and no variables of Modus\'s', async (kind) => {
  const { target, s } = await setup(kind);
  try {
    const probe = 'trap -p INT; set -o | grep -E "^(history|emacs|vi) "; stty -g </dev/tty; echo "cols=$COLUMNS lines=$LINES"; declare -p | grep -c __modus_h_';
    await runText(s, "trap 'echo mine' INT");
    const before = await start(s, probe).done;
    const tab = new Tab('tab');
    const hold = await takeOver(s, tab);
    await tab.type('echo "cols while held: $COLUMNS"');
    assert.match(tab.output, /cols while held: 100/, 'programs see the tab\'s width');
    // The tab is resized: the shell's terminal follows (over SSH from a second client, so it may take a moment).
    hold.resize(120, 40);
    const deadline = Date.now() + HANG_GUARD_MS;
    while (!/[\r\n]40 120\r\n/.test(tab.output)) {
      if (Date.now() > deadline) throw new Error(`the terminal never became 120x40: ${JSON.stringify(tab.output.slice(-300))}`);
      await tab.type('stty size');
    }
    hold.handBack();
    await hold.ended;
    const after = await start(s, probe).done;
    assert.equal(after.text, before.text);
    assert.match(after.text, /^trap -- 'echo mine' SIGINT\r\n[^]*cols=500 lines=50\r\n0\r\n$/);
  } finally {
    await target.dispose();
  }
});

both('a command left running refuses hand-back with a clear message; Ctrl+C stops the command, not the shell; then it hands back', async (kind) => {
  const { target, s } = await setup(kind);
  try {
    const pid = await runText(s, 'echo $$');
    const tab = new Tab('tab');
    const hold = await takeOver(s, tab);
    hold.write('sleep 600\r');
    await waitFor(() => tab.states.includes('sleep 600'), 'the command to start');
    const refused = hold.handBack();
    assert.deepEqual(refused, { ok: false, message: 'session "s" cannot be handed back yet: sleep 600 is still running; end it (Ctrl+C) or wait for it, then hand back at the prompt' });
    const waiting = start(s, 'echo after');
    await waitFor(() => waiting.waiting.length > 0, 'the run to wait');
    // The marker comes just before the shell forks the command: a Ctrl+C in between would reach only the shell (trapped).
    await waitFor(() => runsBelow(Number(pid), 'sleep'), 'sleep to run');
    hold.write('\x03');
    await waitFor(() => tab.atPrompt, 'the prompt after Ctrl+C');
    assert.deepEqual(hold.handBack(), { ok: true });
    await hold.ended;
    assert.equal((await waiting.done).text, 'after\r\n');
    assert.equal(await runText(s, 'echo $$'), pid, 'Ctrl+C did not end the session\'s shell');
  } finally {
    await target.dispose();
  }
});

both('a run cancelled while it waits ends at once as aborted; the shell, still held, is untouched', async (kind) => {
  const { target, s } = await setup(kind);
  try {
    const tab = new Tab('tab');
    const hold = await takeOver(s, tab);
    await tab.type('KEPT=yes');
    const abort = new AbortController();
    const waiting = start(s, 'echo never', abort.signal);
    await waitFor(() => waiting.waiting.length > 0, 'the run to wait');
    abort.abort('cancelled');
    const r = await waiting.done;
    assert.deepEqual(r.outcome, { kind: 'aborted' });
    assert.equal(r.text, '');
    await tab.type('echo "still held, KEPT=$KEPT"');
    assert.match(tab.output, /still held, KEPT=yes/);
    hold.handBack();
    await hold.ended;
    assert.equal(await runText(s, 'echo "$KEPT"'), 'yes\r\n', 'the cancelled run did not restart the shell');
  } finally {
    await target.dispose();
  }
});

both('Ctrl+D on an empty line and `exit` hand back (the session lives on); Ctrl+C discards a half-typed line; a command over several lines runs whole', async (kind) => {
  const { target, s } = await setup(kind);
  try {
    const pid = await runText(s, 'echo $$');
    let tab = new Tab('tab');
    let hold = await takeOver(s, tab);
    hold.write('echo discarded-line');
    hold.write('\x03');
    await waitFor(() => tab.states.filter((x) => x === null).length >= 2, 'a new prompt after Ctrl+C');
    await tab.type('for i in 1 2; do');
    await tab.type('  echo "loop $i"');
    await tab.type('done');
    assert.match(tab.output, /loop 1\r\nloop 2\r\n/);
    await tab.type('false');
    await tab.type('echo "status $?"');
    assert.match(tab.output, /status 1\r\n/, '$? carries over from one line to the next');
    await tab.type('break');
    await tab.type('echo "still held"');
    assert.match(tab.output, /[\r\n]still held\r\n/, 'a break typed by hand does not end the hold');
    assert.doesNotMatch(tab.output, /\ndiscarded-line/, 'the discarded line never ran');
    assert.match(tab.output, /echo discarded-line\^C\r\n/, 'it shows ^C after the line, as bash does');
    hold.write('\x04');
    assert.deepEqual(await hold.ended, { kind: 'handed-back', how: 'eof' });
    tab = new Tab('tab 2');
    hold = await takeOver(s, tab);
    hold.write('exit\r');
    assert.deepEqual(await hold.ended, { kind: 'handed-back', how: 'exit' });
    assert.equal(await runText(s, 'echo $$'), pid);
  } finally {
    await target.dispose();
  }
});

both('a closed tab hands back: at the prompt at once; with a command running, when it ends (the waiting run says so), never killing it', async (kind) => {
  const { dir, target, s } = await setup(kind);
  try {
    const gate = join(dir, 'gate');
    await new Promise<void>((resolve, reject) => execFile('mkfifo', [gate], (e) => (e ? reject(e) : resolve())));
    let tab = new Tab('tab');
    let hold = await takeOver(s, tab);
    hold.release();
    assert.deepEqual(await hold.ended, { kind: 'handed-back', how: 'request' });
    assert.equal(await runText(s, 'echo back'), 'back\r\n');

    tab = new Tab('tab 2');
    hold = await takeOver(s, tab);
    hold.write(`cat ${gate} > ${join(dir, 'gate-read')}; echo done-by-hand > ${join(dir, 'by-hand')}\r`);
    await waitFor(() => tab.states.some((x) => x !== null), 'the command to start');
    const waiting = start(s, `cat ${join(dir, 'by-hand')}`);
    await waitFor(() => waiting.waiting.length > 0, 'the run to wait');
    hold.release();
    await waitFor(() => /still runs in it/.test(String(waiting.waiting[waiting.waiting.length - 1])), 'the waiting run to be told why now');
    assert.match(String(waiting.waiting[waiting.waiting.length - 1]), /^session "s": cat \S+gate > \S+gate-read; echo done-by-hand > \S+by-hand, typed by hand, still runs in it \(its terminal tab was closed\); the block runs when it ends$/);
    assert.equal(waiting.finished(), false);
    await writeFile(gate, 'open sesame\n');
    assert.deepEqual(await hold.ended, { kind: 'handed-back', how: 'request' });
    assert.equal((await waiting.done).text, 'done-by-hand\r\n', 'the command ran to its end, then the block');
  } finally {
    await target.dispose();
  }
});

both('a take-over asked while a block runs waits for it; the session is started when it was not yet; closing the session ends a hold', async (kind) => {
  const { dir, target, s } = await setup(kind);
  try {
    const tab0 = new Tab('tab 0');
    const fresh = await takeOver(s, tab0);
    assert.match(tab0.output, new RegExp(`\\(s\\) ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\$ $`), 'a new session starts in the notebook\'s directory');
    fresh.handBack();
    await fresh.ended;

    const gate = join(dir, 'gate');
    await new Promise<void>((resolve, reject) => execFile('mkfifo', [gate], (e) => (e ? reject(e) : resolve())));
    const running = start(s, `cat ${gate} >/dev/null; echo block-done`);
    const tab = new Tab('tab');
    const taking = s.takeOver!(tab, { cols: 80, rows: 24 }, new AbortController().signal);
    await waitFor(() => tab.waits.length > 0, 'the take-over to wait');
    assert.equal(tab.waits[0], 'session "s" is running a block; the terminal gets it when the block ends');
    await writeFile(gate, 'go\n');
    assert.equal((await running.done).text, 'block-done\r\n');
    const hold = await taking;
    if ('error' in hold) throw new Error(hold.error);
    tab.hold = hold;
    await waitFor(() => tab.atPrompt, 'the prompt');
    const other = await s.takeOver!(new Tab('tab 9'), { cols: 80, rows: 24 }, new AbortController().signal);
    assert.deepEqual(other, { error: 'session "s" is already held in tab' });
    await s.dispose();
    assert.deepEqual(await hold.ended, { kind: 'closed', message: 'session "s" was closed' });
  } finally {
    await target.dispose();
  }
});

both('the shell ending while held (killed by hand) ends the hold and says so; the next run starts a new shell and says that too', async (kind) => {
  const { target, s } = await setup(kind);
  try {
    const tab = new Tab('tab');
    const hold = await takeOver(s, tab);
    hold.write('kill -9 $$\r');
    const end = await hold.ended;
    assert.equal(end.kind, 'shell-ended');
    assert.match((end as { message: string }).message, /^the shell of session "s" (on h1 )?ended \(.*\); the next block starts a new one$/);
    const next = await start(s, 'echo fresh').done;
    assert.deepEqual(next.outcome, { kind: 'exited', exitCode: 0 });
    assert.match(next.text, /^modus: session "s" (on h1 )?started a new shell because the previous one ended; earlier cwd and variables are gone\r\nfresh\r\n$/);
  } finally {
    await target.dispose();
  }
});
