// Shell integration in SSH tabs, through a real hub connection, the user's
// real OpenSSH client and real sshds on 127.0.0.1. Each sshd gives its
// sessions another login shell, home and TMPDIR (sshd's SetEnv), so the
// remote user's rc files are the test's own. With "sshShellIntegration" on,
// bash and zsh report their commands, exit statuses and the remote directory
// with the user's prompt and prompt hook kept, the nonce never shows, no file
// stays behind, and Send to notebook writes `:host` and `:dir`; any other
// login shell starts plainly with a note; with the setting off nothing
// changes. The remote command line is also read by dash, bash and zsh as the
// login shell on a local pty, to show its quoting survives each.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pty from 'node-pty';
import { rendererFor, type TestRenderer } from './hub-client.js';
import { makeClient, sshdAvailable, startSshd, stopSshd, type ClientFiles, type SshdHost } from '../../helpers/sshd.js';
import { sshTabCommand } from '../../../main/host/ssh-tabs.js';
import { remoteIntegrationCommand } from '../../../main/terminals/remote-shell-integration.js';
import { defaultSettings } from '../../../main/settings/defaults.js';
import { findExecutable } from '../../../main/files/find-executable.js';
import type { HostMessage } from '../../../main/protocol.js';

const REPO = join(import.meta.dirname, '..', '..', '..', '..');
const MODUS = join(REPO, 'bin', 'modus.js');
const unavailable = sshdAvailable();
const skip = unavailable === null ? false : `skipped: ${unavailable}`;
const zsh = findExecutable('zsh');
const dash = findExecutable('dash');

/** ssh logins on a loaded 2-core machine can take seconds; the deadlines only bound a hang. */
const SSH_MS = 60_000;

interface Remote {
  host: SshdHost;
  home: string;
  tmp: string;
}

let dir = '';
let client: ClientFiles | null = null;
const remotes = new Map<string, Remote>();

/** A remote user's home with these files, and an sshd whose sessions get it, this login shell and a TMPDIR of their own. */
async function remote(name: string, shell: string, files: Record<string, string>): Promise<Remote> {
  const home = join(dir, `home-${name}`);
  const tmp = join(dir, `tmp-${name}`);
  mkdirSync(home);
  mkdirSync(tmp);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(home, file), text);
  const host = await startSshd({ dir: join(dir, name), name, extraConfig: [`SetEnv HOME=${home} SHELL=${shell} TMPDIR=${tmp}`] });
  const r = { host, home, tmp };
  remotes.set(name, r);
  return r;
}

const BASH_HOME = {
  // The user's own prompt and prompt hook, which integration must keep; .profile reads .bashrc as Debian's does.
  '.bashrc': 'PS1="mine> "\nPROMPT_COMMAND=\'printf "[pc]"\'\n',
  '.profile': '[ -r "$HOME/.bashrc" ] && . "$HOME/.bashrc"\n',
};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modus-ssh-si-'));
  if (skip) return;
  const hosts = [(await remote('hb', '/bin/bash', BASH_HOME)).host];
  if (zsh) hosts.push((await remote('hz', zsh, { '.zshrc': 'PS1="zmine> "\nprecmd() { print -n "[pc]" }\n' })).host);
  if (dash) hosts.push((await remote('hd', dash, { '.profile': 'PS1="dmine$ "\n' })).host);
  client = await makeClient(join(dir, 'client'), hosts);
});

after(async () => {
  for (const r of remotes.values()) await stopSshd(r.host, { sessions: true });
  await rm(dir, { recursive: true, force: true });
});

type CommandMsg = Extract<HostMessage, { type: 'term.command' }>;

function commandsOf(r: TestRenderer, id: number): CommandMsg[] {
  return r.messages.filter((m): m is CommandMsg => m.type === 'term.command' && m.id === id);
}

/** The terminal's text without OSC sequences and other escapes: what a user reads. */
function visible(r: TestRenderer, id: number): string {
  // eslint-disable-next-line no-control-regex -- escape sequences are what is removed
  return r.text(id).replace(/\x1b(?:\][^\x07\x1b]*(?:\x07|\x1b\\)|\[[0-9;?]*[A-Za-z]|[=>])/g, '');
}

async function waitVisible(r: TestRenderer, id: number, pattern: string | RegExp): Promise<string> {
  return r.waitFor(() => {
    const text = visible(r, id);
    return (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) ? text : false;
  }, `${String(pattern)} in the terminal`, SSH_MS);
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

function open(t: import('node:test').TestContext, host: string, integration = true, more: object = {}): { r: TestRenderer; id: number } {
  const home = join(dir, 'local-home');
  mkdirSync(home, { recursive: true });
  const r = rendererFor(t, { home, settings: { sshConfig: client!.sshConfig, sshShellIntegration: integration, ...more } });
  return { r, id: r.createSsh(host, { cols: 120, rows: 30 }) };
}

async function commands(r: TestRenderer, id: number, n: number): Promise<CommandMsg[]> {
  return r.waitFor(() => (commandsOf(r, id).length >= n ? commandsOf(r, id) : false), `${n} commands reported`, SSH_MS);
}

test('bash over ssh: the user\'s prompt and hook are kept, commands come with exit statuses and the remote directory, the nonce shows nowhere', { skip }, async (t) => {
  // The host is picked from the settings' inventory: a new notebook of its commands names that inventory.
  const inventory = join(dir, 'inventory.yaml');
  writeFileSync(inventory, 'hosts:\n  hb: {}\n');
  const { r, id } = open(t, 'hb', true, { inventory });
  const created = await r.waitFor(() => r.terminals.get(id)?.created, 'created', SSH_MS);
  assert.ok(created.shell.endsWith('/ssh'));
  const nonce = created.marks;
  assert.match(nonce ?? '', /^[0-9a-f]{32}$/, 'the tab expects the remote shell\'s marks');
  await waitVisible(r, id, 'mine> ');
  r.type(id, 'echo hello; echo world\r');
  await commands(r, id, 1);
  r.type(id, 'false\r');
  await commands(r, id, 2);
  r.type(id, 'cd /tmp && pwd\r');
  await commands(r, id, 3);
  // Programs do not see the nonce, nor is any descriptor of the start left open.
  r.type(id, 'echo "nonce:${MODUS_SHELL_NONCE:-unset}:${MODUS_SHELL_LOGIN:-unset}"; ls /proc/$$/fd | tr "\\n" " "; echo\r');
  const all = await commands(r, id, 4);
  assert.deepEqual(all.map((c) => [c.seq, c.command, c.exitCode, c.cwd]), [
    [1, 'echo hello; echo world', 0, '/root'],
    [2, 'false', 1, '/root'],
    [3, 'cd /tmp && pwd', 0, '/root'],
    [4, 'echo "nonce:${MODUS_SHELL_NONCE:-unset}:${MODUS_SHELL_LOGIN:-unset}"; ls /proc/$$/fd | tr "\\n" " "; echo', 0, '/tmp'],
  ]);
  const shown = await waitVisible(r, id, /^nonce:unset:unset\r?\n[\d ]+\r?\n/m);
  assert.match(shown, /^nonce:unset:unset\r?\n0 1 2 255 \r?\n/m, 'bash has only its terminal (and its own 255): the rc file\'s descriptor is closed');
  await waitVisible(r, id, /(mine> [^]*){5}/);
  const text = visible(r, id);
  assert.ok(count(text, 'mine> ') >= 5 && count(text, '[pc]') >= 5, `the user's prompt and PROMPT_COMMAND each time:\n${text}`);
  assert.ok(!text.includes(nonce!), 'the nonce is in no text the terminal shows');
  assert.ok(!readFileSync(remotes.get('hb')!.host.logFile, 'utf8').includes(nonce!), 'nor in sshd\'s log');
  assert.deepEqual(readdirSync(remotes.get('hb')!.tmp), [], 'nothing written to the remote TMPDIR');
  assert.ok(!r.messages.some((m) => m.type === 'error'), JSON.stringify(r.messages.filter((m) => m.type === 'error')));

  // Send to notebook: the block runs on the tab's host, in the directory the command ran in.
  const notebook = join(dir, 'from-ssh.md');
  r.connection.receive({ type: 'term.toNotebook', id, seqs: [2, 4], path: notebook });
  await r.waitFor(() => r.messages.some((m) => m.type === 'term.sent'), 'sent', SSH_MS);
  const written = readFileSync(notebook, 'utf8');
  assert.match(written, /^---\ninventory: "[^"\n]+\/inventory\.yaml"\n---\n\n# Notes from hb, \d{4}-\d\d-\d\d\n\n```bash :host hb :dir \/root\nfalse\n```\n\n```results :host hb :at \S+ :took \S+ :exit 1 :status fail :hash [0-9a-f]{12}\nmodus: exit status 1, expected 0\n```\n/);
  assert.match(written, /```bash :host hb :dir \/tmp\necho "nonce:/);
  // The notebook's hosts resolve as the tab's did, and its results are what the blocks would run.
  assert.match(execFileSync(process.execPath, [MODUS, 'hosts', notebook, '--ssh-config', client!.sshConfig], { encoding: 'utf8' }), /^hb\s+127\.0\.0\.1\s+root\s+\d+\s+linux\s+inventory\b/m);
  assert.match(execFileSync(process.execPath, [MODUS, 'check', notebook], { encoding: 'utf8' }), /no problems/);
});

test('a program printing marks without the nonce (a fake prompt, a fake end) does not cut its output in an SSH tab', { skip }, async (t) => {
  const { r, id } = open(t, 'hb');
  await waitVisible(r, id, 'mine> ');
  r.type(id, "printf 'before\\n\\033]133;D;0\\a\\033]133;A\\a\\033]133;C;c=rm\\a\\033]133;D;0;k=00000000000000000000000000000000\\aafter\\n'\r");
  const [c] = await commands(r, id, 1);
  assert.equal(c!.exitCode, 0);
  r.type(id, 'echo next\r');
  const all = await commands(r, id, 2);
  assert.deepEqual(all.map((x) => x.command), [c!.command, 'echo next'], 'the fake marks made no command of their own');
  const notebook = join(dir, 'fake.md');
  r.connection.receive({ type: 'term.toNotebook', id, seqs: [1], path: notebook });
  await r.waitFor(() => r.messages.some((m) => m.type === 'term.sent'), 'sent', SSH_MS);
  assert.match(readFileSync(notebook, 'utf8'), /```results [^\n]*:exit 0 :status pass[^\n]*\nbefore\nafter\n```/);
});

test('zsh over ssh: the user\'s prompt and precmd are kept, commands and the remote directory are reported, the temporary ZDOTDIR is gone once zsh started', { skip: skip || (zsh ? false : 'skipped: no zsh') }, async (t) => {
  const { r, id } = open(t, 'hz');
  await r.waitFor(() => r.terminals.get(id)?.created, 'created', SSH_MS);
  await waitVisible(r, id, 'zmine> ');
  assert.deepEqual(readdirSync(remotes.get('hz')!.tmp), [], 'the startup files are removed once zsh has read them');
  r.type(id, 'cd /tmp; false\r');
  await commands(r, id, 1);
  r.type(id, 'echo "z:${MODUS_SHELL_NONCE:-unset}:$ZDOTDIR"\r');
  const all = await commands(r, id, 2);
  assert.deepEqual(all.map((c) => [c.command, c.exitCode, c.cwd]), [['cd /tmp; false', 1, '/root'], ['echo "z:${MODUS_SHELL_NONCE:-unset}:$ZDOTDIR"', 0, '/tmp']]);
  await waitVisible(r, id, `z:unset:${remotes.get('hz')!.home}`);
  const text = await waitVisible(r, id, /(zmine> [^]*){3}/);
  assert.ok(count(text, '[pc]') >= 3, text);
  const notebook = join(dir, 'from-zsh.md');
  r.connection.receive({ type: 'term.toNotebook', id, seqs: [1], path: notebook });
  await r.waitFor(() => r.messages.some((m) => m.type === 'term.sent'), 'sent', SSH_MS);
  assert.match(readFileSync(notebook, 'utf8'), /```zsh :host hz :dir \/root\ncd \/tmp; false\n```/, 'the block says zsh, as the remote shell did');
  r.type(id, 'exit\r');
  await r.waitFor(() => r.terminals.get(id)?.exit, 'ssh to end', SSH_MS);
  assert.deepEqual(readdirSync(remotes.get('hz')!.tmp), [], 'nothing left behind');
});

test('with "sshShellIntegration" off the tab runs the plain login shell: no marks, no command', { skip }, async (t) => {
  const { r, id } = open(t, 'hb', false);
  const created = await r.waitFor(() => r.terminals.get(id)?.created, 'created', SSH_MS);
  assert.equal(created.marks, null);
  await waitVisible(r, id, 'mine> ');
  r.type(id, 'echo "plain-$((6*7))-$0"\r');
  await waitVisible(r, id, /^plain-42--bash$/m);
  assert.ok(!r.text(id).includes('\x1b]133;'), 'no marks in the output');
  assert.ok(!r.messages.some((m) => m.type === 'term.command' || m.type === 'error'));
});

test('a remote login shell that is neither bash nor zsh starts plainly, with one quiet note and no error', { skip: skip || (dash ? false : 'skipped: no dash') }, async (t) => {
  const { r, id } = open(t, 'hd');
  await waitVisible(r, id, 'dmine$ ');
  r.type(id, 'echo "dash-$((6*7))-$0"\r');
  const text = await waitVisible(r, id, /^dash-42-\S*dash$/m);
  assert.equal(count(text, 'modus: the remote login shell is dash, and Modus integrates bash and zsh; this tab runs without shell integration'), 1, text);
  assert.ok(!r.messages.some((m) => m.type === 'term.command' || m.type === 'error'));
  assert.deepEqual(readdirSync(remotes.get('hd')!.tmp), []);
});

test('an ssh config that gives the host its own RemoteCommand: no integration, and the tab says why', { skip: findExecutable('ssh') ? false : 'skipped: no ssh' }, async () => {
  const config = join(dir, 'remote_command_config');
  writeFileSync(config, 'Host rc1\n  RemoteCommand tmux attach\nHost plain1\n  User x\n');
  const settings = { ...defaultSettings(), sshConfig: config, sshShellIntegration: true };
  const own = await sshTabCommand('rc1', settings, dir);
  assert.deepEqual(own, { args: ['-F', config, '--', 'rc1'], integrationNonce: null, notice: 'the ssh config gives rc1 a RemoteCommand, and ssh runs only one command; this tab runs without shell integration', inventory: null, master: null });
  const plain = await sshTabCommand('plain1', settings, dir);
  assert.match(plain.integrationNonce ?? '', /^[0-9a-f]{32}$/);
  assert.deepEqual(plain.args.slice(0, 4), ['-t', '-F', config, '--']);
  assert.equal(plain.args[4], 'plain1');
  assert.match(plain.args[5]!, /^exec \/bin\/sh -c 'eval "\$\(printf %b "\$@"\)"' modus '/);
  assert.deepEqual(await sshTabCommand('plain1', { ...settings, sshShellIntegration: false }, dir), { args: ['-F', config, '--', 'plain1'], integrationNonce: null, notice: null, inventory: null, master: null });
});

/** Runs `loginShell -c COMMAND` on a pty as sshd would, with bash as $SHELL, until the first prompt's mark. */
function startAs(loginShell: string, command: string, home: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = pty.spawn(loginShell, ['-c', command], { cols: 100, rows: 30, cwd: home, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, SHELL: '/bin/bash', TERM: 'xterm-256color' } });
    let out = '';
    let typed = false;
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`no prompt mark from ${loginShell} -c: ${JSON.stringify(out)}`));
    }, SSH_MS);
    p.onData((d) => {
      out += d;
      if (!typed && out.includes('\x1b]133;B;')) {
        typed = true;
        p.write('exit\r');
      }
    });
    p.onExit(() => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

for (const loginShell of ['dash', 'bash', 'zsh']) {
  const found = findExecutable(loginShell);
  test(`the remote command means the same to ${loginShell} as the login shell that reads it`, { skip: found ? false : `skipped: no ${loginShell}` }, async () => {
    const home = join(dir, `login-${loginShell}`);
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, '.bashrc'), 'PS1="via> "\n');
    writeFileSync(join(home, '.bash_profile'), '. "$HOME/.bashrc"\n');
    const nonce = 'ab'.repeat(16);
    const out = await startAs(found!, remoteIntegrationCommand(nonce), home);
    assert.match(out, new RegExp(`\\x1b\\]133;A;k=${nonce};s=bash\\x07via> `), JSON.stringify(out));
  });
}
