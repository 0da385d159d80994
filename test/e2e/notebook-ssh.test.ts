// Notebook blocks on SSH hosts from the app, against a real sshd: ssh's
// passphrase question comes to the page as a password field naming the host,
// the answer opens the key and is found nowhere afterwards (notebook,
// journal, the app's config and the server's log); Run on… runs a block on
// hosts picked in a dialog instead of its :host.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { inspect, launchChromium, openModus, startServe, waitForInspect, type ModusServer } from '../helpers/browser.js';
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

before(async () => {
  if (skip) return;
  dir = tempDir('modus-e2e-nbssh-');
  host = await startSshd({ dir: join(dir, 'h1'), name: 'h1' });
  client = await makeClient(join(dir, 'client'), [host]);
  // The key this test uses needs its passphrase; `h1-again` is a second name for the same sshd (for Run on…).
  sshConfig = join(dir, 'ssh_config');
  const base = readFileSync(client.sshConfig, 'utf8').replace(/IdentityFile .*/g, `IdentityFile ${client.encryptedKey}`);
  writeFileSync(sshConfig, `${base}\n${base.replace(/^Host h1$/m, 'Host h1-again').replace(/HostKeyAlias .*/g, '')}`);
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
