// Notebook blocks on SSH hosts from the app, against a real sshd: ssh's
// passphrase question comes to the page as a password field naming the host,
// the answer opens the key and is found nowhere afterwards (notebook,
// journal, the app's config and the server's log); asked while the notebook
// is behind another tab, the question marks that tab and the window title,
// takes the keyboard when the notebook is shown again and keeps it until it
// is answered, so the passphrase cannot land in the notebook's text; Run on…
// runs a block on hosts picked in a dialog instead of its :host.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { inspect, launchChromium, openModus, startServe, waitForBuffer, waitForInspect, type ModusServer } from '../helpers/browser.js';
import { makeClient, sshdAvailable, startSshd, stopSshd, type ClientFiles, type SshdHost } from '../helpers/sshd.js';
import type { NotebookInfo } from '../../renderer/src/test-hook-types.js';
import { tempDir } from '../helpers/temp-dir.js';

const unavailable = sshdAvailable();
const skip = unavailable === null ? false : `skipped: ${unavailable}`;

let dir = '';
let host: SshdHost | null = null;
let client: ClientFiles | null = null;
let browser: Browser | null = null;
let server: ModusServer | null = null;
let sshConfig = '';
/** While this file is missing, ssh to `h1-gated` waits before it connects (see gatedProxy). */
let gate = '';

/**
 * A ProxyCommand that connects to HOST:PORT only once GATE exists: the test
 * decides when ssh gets as far as asking for the passphrase.
 */
function gatedProxy(script: string): string {
  writeFileSync(
    script,
    [
      "import { existsSync } from 'node:fs';",
      "import { connect } from 'node:net';",
      'const [gate, host, port] = process.argv.slice(2);',
      'const open = () => {',
      '  const socket = connect(Number(port), host);',
      '  process.stdin.pipe(socket);',
      '  socket.pipe(process.stdout);',
      "  socket.on('close', () => process.exit(0));",
      "  socket.on('error', () => process.exit(1));",
      '};',
      'const wait = () => (existsSync(gate) ? open() : setTimeout(wait, 20));',
      'wait();',
      '',
    ].join('\n'),
  );
  return `ProxyCommand ${process.execPath} ${script} ${gate} %h %p`;
}

before(async () => {
  if (skip) return;
  dir = tempDir('modus-e2e-nbssh-');
  host = await startSshd({ dir: join(dir, 'h1'), name: 'h1' });
  client = await makeClient(join(dir, 'client'), [host]);
  // The key this test uses needs its passphrase; `h1-again` is a second name for the same sshd (for Run on…),
  // `h1-gated` and `h1-modal` more (each its own connection, so each asks again), `h1-gated` through a gate.
  sshConfig = join(dir, 'ssh_config');
  gate = join(dir, 'gate');
  const base = readFileSync(client.sshConfig, 'utf8').replace(/IdentityFile .*/g, `IdentityFile ${client.encryptedKey}`);
  const named = (name: string): string => base.replace(/^Host h1$/m, `Host ${name}`);
  const gated = named('h1-gated').replace(/^(\s*)User root$/m, `$1User root\n$1${gatedProxy(join(dir, 'gated-proxy.mjs'))}`);
  writeFileSync(sshConfig, [base, named('h1-again').replace(/HostKeyAlias .*/g, ''), gated, named('h1-modal')].join('\n'));
  server = await startServe({ settings: { sshConfig } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (host) await stopSshd(host, { sessions: true });
});

async function waitNotebook(p: Page, path: string, ok: (n: NotebookInfo) => boolean, what: string, timeoutMs = 30_000): Promise<NotebookInfo> {
  const all = await waitForInspect(p, 'notebooks', (list) => list.some((n) => n.path === path && ok(n)), what, timeoutMs);
  return all.find((n) => n.path === path)!;
}

async function openTrusted(p: Page, path: string): Promise<void> {
  await p.keyboard.press('Control+Shift+M');
  await p.locator('.open-prompt-input').fill(path);
  await p.keyboard.press('Enter');
  await waitNotebook(p, path, (n) => n.analysedVersion !== null, 'open');
  await p.locator('.nb-view:visible .nb-trust-button').click();
  await waitNotebook(p, path, (n) => n.trusted, 'trusted');
}

async function pressToChangeTab(p: Page, key: string): Promise<void> {
  const from = await inspect(p, 'activeTab');
  await p.keyboard.press(key);
  await waitForInspect(p, 'activeTab', (i) => i !== from, `${key} to change tabs`);
}

/** Presses `key` until a tab of terminals is in front (notebooks of earlier tests come back with the session); how many presses it took. */
async function pressUntilTerminalTab(p: Page, key: string): Promise<number> {
  const tabs = (await inspect(p, 'tabTitles')).length;
  for (let presses = 1; presses < tabs; presses++) {
    await pressToChangeTab(p, key);
    if ((await inspect(p, 'panes')).length > 0) return presses;
  }
  throw new Error(`no terminal tab among ${JSON.stringify(await inspect(p, 'tabTitles'))}`);
}

/** Where the keyboard is: the focused element's class, and whether it is inside the password dialog. */
function keyboardAt(p: Page): Promise<{ element: string; inDialog: boolean }> {
  return p.evaluate(() => {
    const at = (globalThis as unknown as { document: { activeElement: { className: string; closest(s: string): unknown } | null } }).document.activeElement;
    return { element: at ? String(at.className) : '(none)', inDialog: Boolean(at?.closest('.nb-secret')) };
  });
}

async function lens(p: Page, label: RegExp): Promise<void> {
  const link = p.locator('.nb-view:visible .codelens-decoration a', { hasText: label }).first();
  await link.waitFor({ state: 'visible', timeout: 15_000 });
  await link.click();
}

function allText(d: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const n of readdirSync(d)) {
    const path = join(d, n);
    const s = statSync(path);
    if (s.isDirectory()) out.push(...allText(path));
    else if (s.isFile()) out.push({ file: path, text: (n.endsWith('.gz') ? gunzipSync(readFileSync(path)) : readFileSync(path)).toString('latin1') });
  }
  return out;
}

test('a passphrase ssh asks for is typed in a password field naming the host, opens the key, and is kept nowhere', { skip }, async () => {
  const p: Page = (await openModus(browser!, server!)).page;
  const work = realpathSync(mkdtempSync(join(dir, 'nb-')));
  const path = join(work, 'ssh.md');
  writeFileSync(path, '# On h1\n\n```sh :host h1\necho "key opened on $(hostname)"\n```\n');
  await openTrusted(p, path);
  await lens(p, /^\s*Run\s*$/);
  const dialog = p.locator('.nb-secret');
  await dialog.waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(await dialog.locator('h2').innerText(), 'ssh to h1 asks');
  assert.match(await dialog.locator('.nb-secret-prompt').innerText(), /Enter passphrase for key/);
  assert.equal(await dialog.locator('input').getAttribute('type'), 'password');
  await dialog.locator('input').fill(client!.passphrase);
  await p.keyboard.press('Enter');
  const done = await waitNotebook(p, path, (n) => n.blocks[0]!.results.length > 0 && !n.dirty, 'the block to run');
  assert.deepEqual(done.blocks[0]!.results, ['pass'], readFileSync(path, 'utf8'));
  assert.match(readFileSync(path, 'utf8'), /```results :host h1 [^\n]*:status pass[^\n]*\nkey opened on /);
  const places = [...allText(work), ...allText(server!.configDir), { file: 'modus serve stderr', text: server!.stderr() }, { file: 'sshd log', text: readFileSync(host!.logFile, 'utf8') }];
  assert.ok(places.length > 3);
  for (const place of places) assert.ok(!place.text.includes(client!.passphrase), `the passphrase is in ${place.file}`);
  await p.close();
});

test('a passphrase asked while the notebook is behind another tab: its tab and the window title say so, the terminal keeps the keyboard, and back in the notebook the passphrase goes to the dialog, not into the text', { skip }, async () => {
  const p: Page = (await openModus(browser!, server!)).page;
  const work = realpathSync(mkdtempSync(join(dir, 'nb-')));
  const path = join(work, 'behind.md');
  const text = '# Behind a tab\n\n```sh :host h1-gated\necho "key opened on $(hostname)"\n```\n';
  writeFileSync(path, text);
  await openTrusted(p, path);
  await lens(p, /^\s*Run\s*$/);
  await waitNotebook(p, path, (n) => n.blocks[0]!.run !== null, 'the run to start');
  // Behind a terminal's tab before ssh may ask: the gate opens only then.
  const away = await pressUntilTerminalTab(p, 'Control+PageUp');
  assert.equal(await p.locator('.nb-secret').count(), 0, 'ssh waits at the gate: nothing asked yet');
  writeFileSync(gate, '');
  // The question arrives in the hidden notebook view; its tab is marked then.
  await p.locator('.nb-secret').waitFor({ state: 'attached', timeout: 30_000 });
  const marked = p.locator('.tab.needs-attention');
  assert.equal(await marked.count(), 1, 'the notebook tab is marked');
  assert.equal(await marked.locator('.tab-title').innerText(), 'behind.md');
  assert.equal(await marked.getAttribute('title'), 'behind.md — asks for a password (ssh to h1-gated)');
  assert.match(await p.title(), /^🔑 behind\.md asks for a password \(ssh to h1-gated\) — /, 'the window title says so too');
  // The terminal in front keeps the keyboard: what the user types there stays a shell command line.
  assert.equal((await keyboardAt(p)).inDialog, false);
  await p.keyboard.type('echo still-the-terminal');
  await waitForBuffer(p, /echo still-the-terminal$/m);
  assert.equal(await p.locator('.nb-secret-input').inputValue(), '');
  await p.keyboard.press('Control+U');
  // Back to the notebook: the passphrase typed at once goes to the dialog.
  for (let i = 0; i < away; i++) await pressToChangeTab(p, 'Control+PageDown');
  await waitNotebook(p, path, (n) => n.active, 'the notebook in front again');
  await p.keyboard.type(client!.passphrase);
  await p.keyboard.press('Enter');
  const done = await waitNotebook(p, path, (n) => n.text.includes(client!.passphrase) || (n.blocks[0]!.results.length > 0 && !n.dirty), 'the block to run (or the passphrase to land in the text)');
  assert.ok(!done.text.includes(client!.passphrase), `the passphrase went into the notebook's text:\n${done.text}`);
  assert.deepEqual(done.blocks[0]!.results, ['pass'], readFileSync(path, 'utf8'));
  assert.equal(await p.locator('.nb-secret').count(), 0, 'the dialog is gone');
  assert.equal(await p.locator('.tab.needs-attention').count(), 0, 'no tab asks any more');
  assert.ok(!(await p.title()).includes('🔑'));
  assert.match(readFileSync(path, 'utf8'), /```results :host h1-gated [^\n]*:status pass[^\n]*\nkey opened on /);
  for (const place of allText(work)) assert.ok(!place.text.includes(client!.passphrase), `the passphrase is in ${place.file}`);
  await p.close();
});

test('while the password dialog is up it keeps the keyboard: Tab cycles inside it, a click on the editor leaves the focus in it, and nothing typed reaches the text', { skip }, async () => {
  const p: Page = (await openModus(browser!, server!)).page;
  const work = realpathSync(mkdtempSync(join(dir, 'nb-')));
  const path = join(work, 'modal.md');
  const text = '# Modal\n\n```sh :host h1-modal\necho "key opened on $(hostname)"\n```\n';
  writeFileSync(path, text);
  await openTrusted(p, path);
  await lens(p, /^\s*Run\s*$/);
  const dialog = p.locator('.nb-secret');
  await dialog.waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(await p.locator('.tab.needs-attention').count(), 0, 'the tab in front shows its dialog, no mark');
  assert.deepEqual(await keyboardAt(p), { element: 'nb-secret-input', inDialog: true });
  const seen: string[] = [];
  for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
    await p.keyboard.press(key);
    const at = await keyboardAt(p);
    assert.ok(at.inDialog, `${key} after ${seen.join(', ')} left the dialog for ${at.element}`);
    seen.push(at.element);
  }
  assert.deepEqual(seen, ['nb-button nb-secret-cancel', 'nb-button nb-secret-ok', 'nb-secret-input', 'nb-button nb-secret-ok', 'nb-button nb-secret-cancel', 'nb-secret-input', 'nb-button nb-secret-ok']);
  // A click where the editor is (under the dialog's backdrop) sends the keyboard back to the password field.
  const editor = await p.locator('.nb-view:visible .nb-editor').boundingBox();
  assert.ok(editor);
  await p.mouse.click(editor.x + editor.width / 2, editor.y + editor.height / 2);
  assert.deepEqual(await keyboardAt(p), { element: 'nb-secret-input', inDialog: true });
  await p.keyboard.type('typed-after-the-click');
  assert.equal(await dialog.locator('input').inputValue(), 'typed-after-the-click');
  assert.equal((await inspect(p, 'notebooks')).find((n) => n.path === path)!.text, text, 'the editor got none of it');
  await dialog.locator('input').fill(client!.passphrase);
  await p.keyboard.press('Enter');
  const done = await waitNotebook(p, path, (n) => n.blocks[0]!.results.length > 0 && !n.dirty, 'the block to run');
  assert.deepEqual(done.blocks[0]!.results, ['pass'], readFileSync(path, 'utf8'));
  assert.ok(!done.text.includes('typed-after-the-click'));
  await p.close();
});

test('Run on… runs a block on the hosts picked instead of its :host; declining the passphrase ends that host with an error, the file intact', { skip }, async () => {
  const p: Page = (await openModus(browser!, server!)).page;
  const work = realpathSync(mkdtempSync(join(dir, 'nb-')));
  const path = join(work, 'run-on.md');
  const text = '# Run on\n\n```sh :host h1\necho "ran as $(id -un)"\n```\n';
  writeFileSync(path, text);
  await openTrusted(p, path);
  await lens(p, /Run on/);
  const dialog = p.locator('.nb-run-on');
  await dialog.waitFor({ state: 'visible' });
  await dialog.locator('.nb-run-on-input').fill('h1-again');
  await p.keyboard.press('Enter');
  const secret = p.locator('.nb-secret');
  await secret.waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(await secret.locator('h2').innerText(), 'ssh to h1-again asks');
  await secret.locator('.nb-secret-cancel').click();
  const done = await waitNotebook(p, path, (n) => n.blocks[0]!.results.length > 0 && !n.dirty, 'the block to end');
  assert.deepEqual(done.blocks[0]!.results, ['error']);
  const after = readFileSync(path, 'utf8');
  assert.match(after, /```results :host h1-again [^\n]*:status error/);
  assert.equal(after.slice(0, text.length), text, 'the code block is as it was');
  const shown = await inspect(p, 'notebooks');
  assert.ok(shown.find((n) => n.path === path)!.blocks[0]!.stale, 'results from other hosts than its :host are marked stale');
  await p.close();
});
