// SSH tabs in headless Chromium through the real `modus serve`, against a
// real sshd on 127.0.0.1: the picker lists the inventory's hosts and the
// ssh config's aliases, a pick opens `ssh HOST` on a pty, a reload brings
// the tab back without connecting until Enter, an ended ssh waits for Enter
// to reconnect, and OpenSSH's own host-key question shows in the tab. Logins
// are counted in sshd's log; every wait is a condition with a deadline.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { inspect, launchChromium, openModus, run, startServe, waitForBuffer, waitForInspect, waitForPrompt, type ModusServer } from '../helpers/browser.js';
import { descendants, makeClient, sshdAvailable, startSshd, stopSshd, type ClientFiles, type SshdHost } from '../helpers/sshd.js';
import type { PaneInfo } from '../../renderer/src/test-hook-types.js';
import { createHub } from '../../main/host/hub.js';
import { sshTabArgs } from '../../main/host/ssh-tabs.js';
import { defaultSettings } from '../../main/settings/defaults.js';
import type { HostMessage, Settings } from '../../main/protocol.js';

const unavailable = sshdAvailable();
const skip = unavailable === null ? false : `skipped: ${unavailable}`;

let dir = '';
let host: SshdHost | null = null;
let client: ClientFiles | null = null;
let browser: Browser | null = null;
const extraHosts: SshdHost[] = [];
const servers: ModusServer[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modus-e2e-ssh-'));
  if (skip) return;
  host = await startSshd({ dir: join(dir, 'h1'), name: 'h1' });
  client = await makeClient(join(dir, 'client'), [host]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const s of servers) await s.stop();
  if (host) await stopSshd(host, { sessions: true });
  for (const h of extraHosts) await stopSshd(h, { sessions: true });
  await rm(dir, { recursive: true, force: true });
});

async function serve(settings: Partial<Settings>): Promise<ModusServer> {
  const server = await startServe({ settings });
  servers.push(server);
  return server;
}

const logins = (): number => (readFileSync(host!.logFile, 'utf8').match(/Accepted publickey for root/g) ?? []).length;

/** ssh processes started by `modus serve` (an SSH tab's ssh is a child of the server). */
function sshChildren(server: ModusServer): number[] {
  return descendants(server.pid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'ssh';
    } catch {
      return false;
    }
  });
}

/** ssh logins on a loaded 2-core machine can take seconds; the deadlines only bound a hang. */
const SSH_MS = 60_000;

async function until(what: string, condition: () => boolean, timeoutMs = SSH_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function openPicker(page: Page, listed: (items: string[]) => boolean): Promise<void> {
  await page.keyboard.press('Control+Shift+S');
  await waitForInspect(page, 'hostPicker', (p) => p.open && listed(p.items), 'the host picker to list the hosts', 30_000);
}

test('New SSH tab: the picker lists inventory hosts then ssh config aliases; a pick opens ssh on the pty; a reload waits for Enter', { skip }, async () => {
  const inventory = join(dir, 'inventory.yaml');
  writeFileSync(inventory, 'hosts:\n  h1: {}\n  lab2: { address: 198.51.100.7, user: netops }\n  edge9: { address: 203.0.113.1, platform: junos }\n');
  const server = await serve({ sshConfig: client!.sshConfig, inventory });
  const { page } = await openModus(browser!, server);

  await openPicker(page, (items) => items.length > 0);
  const listed = await inspect(page, 'hostPicker');
  assert.deepEqual(listed.items, ['h1', 'lab2'], 'inventory hosts (not the Junos one), then ssh config aliases not already listed');
  assert.deepEqual(listed.problems, []);
  const details = await page.locator('.host-picker-list li').allInnerTexts();
  assert.match(details[1]!, /lab2\s+198\.51\.100\.7 · netops\s+inventory/);
  await page.keyboard.press('ArrowDown');
  await waitForInspect(page, 'hostPicker', (p) => p.selected === 1, '↓ to highlight lab2');
  await page.keyboard.press('ArrowUp');
  await waitForInspect(page, 'hostPicker', (p) => p.selected === 0, '↑ to highlight h1 again');
  await page.keyboard.type('H');
  await waitForInspect(page, 'hostPicker', (p) => p.items.join() === 'h1', 'the filter to leave h1');

  const before = logins();
  await page.keyboard.press('Enter');
  await waitForInspect(page, 'tabTitles', (t) => t.length === 2 && t[1]!.includes('h1'), 'an SSH tab titled with its host');
  assert.equal((await inspect(page, 'hostPicker')).open, false);
  await waitForPrompt(page, SSH_MS);
  assert.equal(logins(), before + 1, 'one login');
  await run(page, 'echo "$SSH_CONNECTION"');
  await waitForBuffer(page, /^127\.0\.0\.1 \d+ 127\.0\.0\.1 \d+$/m, SSH_MS);
  assert.match((await inspect(page, 'tabTitles'))[1]!, /^ssh h1\b/, 'the host stays in the title whatever the remote shell sets');
  assert.match(await page.title(), /h1/);
  const [pane] = await inspect(page, 'panes');
  assert.equal(pane!.ssh, 'h1');

  const sessionFile = join(server.configDir, 'session.json');
  await until('session.json to hold the SSH pane', () => existsSync(sessionFile) && readFileSync(sessionFile, 'utf8').includes('"ssh":"h1"'));
  const loggedIn = logins();
  const previous = sshChildren(server);
  assert.equal(previous.length, 1, 'the SSH tab\'s ssh runs under modus serve');
  await page.reload();
  await page.waitForFunction(() => (globalThis as unknown as { __modus?: { ready(): boolean } }).__modus?.ready() === true, undefined, { timeout: 30_000 });
  await waitForInspect(page, 'tabTitles', (t) => t.length === 2 && t[1] === 'ssh h1', 'both tabs back, the SSH one titled with its host');
  await waitForInspect(page, 'activeTab', (i) => i === 1, 'the SSH tab active, as it was');
  await waitForBuffer(page, /^SSH to h1 — press Enter to connect/m, SSH_MS);
  assert.equal((await inspect(page, 'panes'))[0]!.waitingForEnter, true);
  // The previous page's ssh is hung up with its connection; then a round trip through the host
  // (the picker's list) comes after anything the restored page sent: still no ssh, no login.
  await until('the previous page\'s ssh to exit', () => !sshChildren(server).includes(previous[0]!));
  await openPicker(page, (items) => items.includes('h1'));
  await page.keyboard.press('Escape');
  await waitForInspect(page, 'hostPicker', (p) => !p.open, 'Escape to close the picker');
  assert.deepEqual(sshChildren(server), [], 'no ssh started by the restore');
  assert.equal(logins(), loggedIn, 'no login before Enter');

  await page.keyboard.type('ignored');
  await page.keyboard.press('Enter');
  await until('a login after Enter', () => logins() === loggedIn + 1);
  await waitForPrompt(page, SSH_MS);
  await run(page, 'echo "back-$((6*7))-$SSH_TTY"');
  await waitForBuffer(page, /^back-42-\/dev\/pts\/\d+$/m, SSH_MS);
  assert.doesNotMatch(await inspect(page, 'bufferText'), /ignored/, 'what was typed before Enter went nowhere');

  // ssh ends: the pane stays and says so; Enter connects again.
  await run(page, 'exit 3');
  await waitForBuffer(page, /ssh h1 ended \(exit status 3\)[\s\S]*^SSH to h1 — press Enter to reconnect, Ctrl\+Shift\+W to close$/m, SSH_MS);
  assert.equal((await inspect(page, 'panes'))[0]!.waitingForEnter, true);
  await page.keyboard.press('Enter');
  await until('a login after Enter in the ended pane', () => logins() === loggedIn + 2);
  await waitForPrompt(page, SSH_MS);
  await run(page, 'echo again-$((7*6))');
  await waitForBuffer(page, /^again-42$/m, SSH_MS);
  await page.context().close();
});

test('an unknown host key: OpenSSH asks in the tab, and the answer goes back to ssh', { skip }, async () => {
  const knownHosts = join(dir, 'empty_known_hosts');
  writeFileSync(knownHosts, '');
  const sshConfig = join(dir, 'ssh_config_unknown_key');
  writeFileSync(sshConfig, [
    'Host h1',
    '  HostName 127.0.0.1',
    `  Port ${host!.port}`,
    '  User root',
    `  IdentityFile "${client!.key}"`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile "${knownHosts}"`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking ask',
    '',
  ].join('\n'));
  const inventory = join(dir, 'broken-inventory.yaml');
  writeFileSync(inventory, 'hosts:\n  r1: { port: 70000 }\n');
  const server = await serve({ sshConfig, inventory });
  const { page } = await openModus(browser!, server);

  await openPicker(page, (items) => items.includes('h1'));
  const picker = await inspect(page, 'hostPicker');
  assert.deepEqual(picker.items, ['r1', 'h1']);
  assert.equal(picker.problems.length, 1);
  assert.match(picker.problems[0]!, /broken-inventory\.yaml:2:\d+ host r1: port must be a number from 1 to 65535/);
  assert.match(await page.locator('.host-picker-problems').innerText(), /port must be a number/);
  await page.keyboard.type('zz');
  await waitForInspect(page, 'hostPicker', (p) => p.items.length === 0 && /No listed host matches; Enter connects to zz/.test(p.message), 'the note for a name nobody listed');
  for (let i = 0; i < 2; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('h1');
  await waitForInspect(page, 'hostPicker', (p) => p.items.join() === 'h1', 'the filter to leave h1');

  const before = logins();
  await page.keyboard.press('Enter');
  await waitForBuffer(page, /Are you sure you want to continue connecting \(yes\/no(\/\[fingerprint\])?\)\?/, SSH_MS);
  assert.ok((await inspect(page, 'bufferText')).includes(host!.hostKeyFingerprint), 'the key\'s fingerprint is shown');
  await run(page, 'no');
  await waitForBuffer(page, /Host key verification failed[\s\S]*ssh h1 ended \(exit status 255\)/, SSH_MS);
  assert.equal(logins(), before, 'nothing logged in');
  assert.equal(readFileSync(knownHosts, 'utf8'), '', 'the key was not accepted');
  await page.context().close();
});

test('a passphrase ssh asks for in an SSH tab is asked in the tab, as in any terminal, and kept nowhere', { skip }, async () => {
  const sshConfig = join(dir, 'ssh_config_passphrase');
  writeFileSync(sshConfig, readFileSync(client!.sshConfig, 'utf8').replace(/IdentityFile .*/g, `IdentityFile "${client!.encryptedKey}"`));
  const server = await serve({ sshConfig });
  const { page } = await openModus(browser!, server);
  await openPicker(page, (items) => items.includes('h1'));
  await page.keyboard.type('h1');
  const before = logins();
  await page.keyboard.press('Enter');
  await waitForBuffer(page, /Enter passphrase for key/, SSH_MS);
  assert.equal(await page.locator('.nb-secret').count(), 0, 'no dialog: the question is ssh\'s own, in its terminal');
  await page.keyboard.type(client!.passphrase);
  await page.keyboard.press('Enter');
  await waitForPrompt(page, SSH_MS);
  assert.equal(logins(), before + 1);
  await run(page, 'echo "in-$((5*5))"');
  await waitForBuffer(page, /^in-25$/m, SSH_MS);
  const sessionFile = join(server.configDir, 'session.json');
  await until('session.json to hold the SSH pane', () => existsSync(sessionFile) && readFileSync(sessionFile, 'utf8').includes('"ssh":"h1"'));
  for (const [what, text] of [['the tab', await inspect(page, 'bufferText')], ['session.json', readFileSync(sessionFile, 'utf8')], ['the server\'s log', server.stderr()]] as const) {
    assert.ok(!text.includes(client!.passphrase), `the passphrase is in ${what}`);
  }
  await page.context().close();
});

test('with "sshShellIntegration" on, an SSH tab marks each command by its exit status, and again after a reconnect', { skip }, async () => {
  // A host of its own whose sessions get a home of the test's (sshd's SetEnv), with the user's own prompt.
  const home = join(dir, 'si-home');
  mkdirSync(home);
  writeFileSync(join(home, '.bashrc'), 'PS1="remote$ "\n');
  writeFileSync(join(home, '.profile'), '. "$HOME/.bashrc"\n');
  const h2 = await startSshd({ dir: join(dir, 'h2'), name: 'h2', extraConfig: [`SetEnv HOME=${home} SHELL=/bin/bash`] });
  extraHosts.push(h2);
  const client2 = await makeClient(join(dir, 'client2'), [h2]);
  const server = await serve({ sshConfig: client2.sshConfig, sshShellIntegration: true });
  const { page } = await openModus(browser!, server);
  await openPicker(page, (items) => items.includes('h2'));
  await page.keyboard.press('Enter');
  await waitForInspect(page, 'tabTitles', (t) => t.length === 2 && t[1]!.includes('h2'), 'the SSH tab');
  await waitForPrompt(page, SSH_MS);
  assert.equal(await inspect(page, 'cursorLine'), 'remote$ ', 'the user\'s own prompt');
  await run(page, 'cd /tmp && echo fine');
  await waitSshCommands(page, 1);
  await run(page, 'false');
  const cmds = await waitSshCommands(page, 2);
  assert.deepEqual(cmds.map((c) => [c.seq, c.command, c.exitCode]), [[1, 'cd /tmp && echo fine', 0], [2, 'false', 1]]);
  assert.equal(cmds[0]!.output, 'fine');
  await page.locator('.cmd-mark.cmd-failed').first().waitFor({ state: 'attached' });
  assert.equal(await page.locator('.cmd-mark.cmd-ok').count(), 1);
  assert.equal(await page.locator('.cmd-mark.cmd-failed').getAttribute('title'), 'false: exit status 1');
  assert.doesNotMatch(await inspect(page, 'bufferText'), /[0-9a-f]{32}/, 'the nonce shows nowhere in the tab');

  // ssh ends; Enter connects again, with a new shell and a new nonce: its marks count, the old ones stay.
  await run(page, 'exit');
  await waitForBuffer(page, /ssh h2 ended/, SSH_MS);
  await page.keyboard.press('Enter');
  await waitForPrompt(page, SSH_MS);
  await run(page, 'echo again');
  const after = await waitForInspect(page, 'panes', (ps) => (ps[0]?.commands?.length ?? 0) >= 3 && ps[0]!.commands!.at(-1)!.seq !== null, 'the new connection\'s command numbered', SSH_MS);
  assert.deepEqual(after[0]!.commands!.map((c) => [c.seq, c.command]), [[null, 'cd /tmp && echo fine'], [null, 'false'], [1, 'echo again']], 'the earlier commands belong to the ended connection: not sendable');
  assert.equal(await page.locator('.cmd-mark').count(), 3);
  await page.context().close();
});

async function waitSshCommands(page: Page, n: number): Promise<NonNullable<PaneInfo['commands']>> {
  const panes = await waitForInspect(page, 'panes', (ps) => (ps[0]?.commands?.filter((c) => c.seq !== null).length ?? 0) >= n, `${n} commands numbered`, SSH_MS);
  return panes[0]!.commands!;
}

// ---------------------------------------------------------------- the host side, without a browser

/** A hub with its own config directory, `settings` written to its settings.json first. */
function hubWith(settings: object = {}, env?: NodeJS.ProcessEnv) {
  const configDir = mkdtempSync(join(dir, 'hub-'));
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  writeFileSync(join(configDir, 'settings.json'), JSON.stringify(settings));
  const messages: HostMessage[] = [];
  const hub = createHub({ host: 'web', configDir, home, log: () => undefined, ...(env ? { env } : {}) });
  return { hub, messages, home, connection: hub.connect((m) => messages.push(m)) };
}

async function waitFor<T extends HostMessage['type']>(messages: HostMessage[], type: T): Promise<Extract<HostMessage, { type: T }>> {
  await until(`a ${type} message`, () => messages.some((m) => m.type === type), 15_000);
  return messages.find((m) => m.type === type) as Extract<HostMessage, { type: T }>;
}

test('hosts.list: Linux inventory hosts with their details, then ssh config aliases not listed yet; problems as file:line:column lines', async () => {
  const inventory = join(dir, 'list-inventory.yaml');
  writeFileSync(inventory, 'hosts:\n  a1: { address: 198.51.100.1, user: netops }\n  b2: { platform: linux, port: 2222 }\n  j1: { platform: junos }\n  bad: { colour: red }\n');
  const sshConfig = join(dir, 'list_ssh_config');
  writeFileSync(sshConfig, 'Host b2 c3 *.lab\n  User x\nHost d4\n');
  const h = hubWith({ sshConfig, inventory });
  h.connection.receive({ type: 'hosts.list' });
  const listed = await waitFor(h.messages, 'hosts.listed');
  assert.deepEqual(listed.hosts, [
    { name: 'a1', detail: '198.51.100.1 · netops', source: 'inventory' },
    { name: 'b2', detail: 'port 2222', source: 'inventory' },
    { name: 'bad', detail: '', source: 'inventory' },
    { name: 'c3', detail: sshConfig, source: 'ssh-config' },
    { name: 'd4', detail: sshConfig, source: 'ssh-config' },
  ]);
  assert.equal(listed.problems.length, 1);
  assert.match(listed.problems[0]!, /list-inventory\.yaml:5:\d+ host bad: unknown setting "colour"/);
  await h.hub.close();

  const none = hubWith();
  none.connection.receive({ type: 'hosts.list' });
  assert.deepEqual(await waitFor(none.messages, 'hosts.listed'), { type: 'hosts.listed', hosts: [], problems: [] }, 'no inventory, no ~/.ssh/config: an empty list');
  await none.hub.close();

  // Names the tab would refuse (destination.ts) are not offered: picking one could only fail. They are said, with the reason.
  const oddInventory = join(dir, 'odd-inventory.yaml');
  writeFileSync(oddInventory, 'hosts:\n  web+1: {}\n  ok1: { address: 198.51.100.3 }\n');
  const oddConfig = join(dir, 'odd_ssh_config');
  writeFileSync(oddConfig, 'Host db@prod a/b tilde~1 bang! amp&x fine2\n  User x\n');
  const odd = hubWith({ sshConfig: oddConfig, inventory: oddInventory });
  odd.connection.receive({ type: 'hosts.list' });
  const oddListed = await waitFor(odd.messages, 'hosts.listed');
  assert.deepEqual(oddListed.hosts.map((x) => x.name), ['ok1', 'fine2']);
  for (const name of ['web+1', 'db@prod', 'a/b', 'tilde~1', 'bang!', 'amp&x']) {
    assert.ok(oddListed.problems.some((p) => p.startsWith(`${name} (`) && /is not offered: host name .* has characters a host name cannot have/.test(p)), `${name} is said not offered: ${JSON.stringify(oddListed.problems)}`);
  }
  await odd.hub.close();

  const missing = hubWith({ sshConfig: '~/nope/ssh_config', inventory: '~/nope.yaml' });
  missing.connection.receive({ type: 'hosts.list' });
  assert.deepEqual((await waitFor(missing.messages, 'hosts.listed')).problems, [
    `${join(missing.home, 'nope.yaml')}: the file named by the "inventory" setting does not exist`,
    `${join(missing.home, 'nope', 'ssh_config')}: the file named by the "sshConfig" setting does not exist`,
  ]);
  await missing.hub.close();
});

test('term.create with a hostile host is refused with an error, and no process starts', async () => {
  const h = hubWith({});
  const hostile = ['-oProxyCommand=touch /tmp/pwned', 'h1;reboot', 'h 1', '$(id)', '', 'a\nb'];
  hostile.forEach((name, i) => h.connection.receive({ type: 'term.create', id: i + 1, options: { cols: 80, rows: 24, cwd: null, ssh: { host: name } } }));
  const errors = h.messages.filter((m) => m.type === 'error');
  assert.equal(errors.length, hostile.length, JSON.stringify(h.messages));
  for (const [i, e] of errors.entries()) {
    assert.equal(e.type === 'error' && e.ref, `term:${i + 1}`);
    assert.match(e.type === 'error' ? e.message : '', /^term\.create: refused to open an SSH tab: /);
  }
  assert.ok(!h.messages.some((m) => m.type === 'term.created' || m.type === 'term.data'));
  assert.equal(h.hub.terminalCount, 0);
  await h.hub.close();
});

test('no ssh on PATH: the tab says which package to install and ends, with nothing started', async () => {
  const h = hubWith({}, { PATH: join(dir, 'empty-path') });
  h.connection.receive({ type: 'term.create', id: 1, options: { cols: 80, rows: 24, cwd: null, ssh: { host: 'h1' } } });
  const data = await waitFor(h.messages, 'term.data');
  assert.match(Buffer.from(data.data).toString(), /modus: cannot open an SSH tab to h1: the OpenSSH client \(ssh\) is not installed or not on PATH: install it \(Debian\/Ubuntu: apt-get install openssh-client/);
  assert.deepEqual(await waitFor(h.messages, 'term.exit'), { type: 'term.exit', id: 1, exitCode: 127, signal: null });
  assert.ok(!h.messages.some((m) => m.type === 'term.created'));
  await h.hub.close();
});

test('ssh arguments: -F from the settings (~/ expanded), an inventory host\'s address, user and port, the host after --', async () => {
  const home = join(dir, 'args-home');
  const inventory = join(dir, 'args-inventory.yaml');
  writeFileSync(inventory, 'hosts:\n  lab2: { address: 198.51.100.7, user: netops, port: 2222 }\n  edge9: { address: 203.0.113.1, user: ops, port: 830, platform: junos }\n  plain: {}\n');
  const settings = { ...defaultSettings(), sshConfig: '~/.ssh/lab_config', inventory };
  assert.deepEqual(await sshTabArgs('lab2', settings, home), ['-F', join(home, '.ssh', 'lab_config'), '-p', '2222', '-l', 'netops', '--', '198.51.100.7']);
  assert.deepEqual(await sshTabArgs('edge9', settings, home), ['-F', join(home, '.ssh', 'lab_config'), '-l', 'ops', '--', '203.0.113.1'], 'a Junos inventory port is NETCONF\'s, not the CLI\'s');
  assert.deepEqual(await sshTabArgs('plain', settings, home), ['-F', join(home, '.ssh', 'lab_config'), '--', 'plain']);
  assert.deepEqual(await sshTabArgs('h1', { ...defaultSettings() }, home), ['--', 'h1'], 'no sshConfig: plain ssh reads ~/.ssh/config itself');
  assert.deepEqual(await sshTabArgs('[2001:db8::1]', { ...defaultSettings() }, home), ['--', '2001:db8::1']);
  await assert.rejects(sshTabArgs('-oProxyCommand=x', settings, home), /starts with "-"/);
});

test('what the renderer sends while the tab\'s ssh is being set up (size, typed input) reaches it once it starts', { skip }, async () => {
  const h = hubWith({ sshConfig: client!.sshConfig });
  const data: Buffer[] = [];
  const c = h.hub.connect((m) => {
    h.messages.push(m);
    if (m.type === 'term.data') {
      data.push(Buffer.from(m.data));
      c.receive({ type: 'term.ack', id: m.id, bytes: m.data.byteLength });
    }
  });
  c.receive({ type: 'term.create', id: 1, options: { cols: 80, rows: 24, cwd: null, ssh: { host: 'h1' } } });
  c.receive({ type: 'term.resize', id: 1, cols: 101, rows: 31 });
  c.receive({ type: 'term.input', id: 1, data: 'stty size; exit 7\r' });
  const exit = await until('ssh to end', () => h.messages.some((m) => m.type === 'term.exit')).then(() => h.messages.find((m) => m.type === 'term.exit'));
  assert.deepEqual(exit, { type: 'term.exit', id: 1, exitCode: 7, signal: null }, Buffer.concat(data).toString());
  assert.match(Buffer.concat(data).toString(), /^31 101\r?$/m);
  const created = h.messages.find((m) => m.type === 'term.created');
  assert.ok(created?.type === 'term.created' && created.shell.endsWith('/ssh'));
  assert.ok(!h.messages.some((m) => m.type === 'term.cwd' || m.type === 'error'), JSON.stringify(h.messages.filter((m) => m.type !== 'term.data')));
  await h.hub.close();
});
