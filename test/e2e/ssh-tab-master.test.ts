// An SSH tab to a host a notebook's run reached rides on the master that run
// set up (real `modus serve`, headless Chromium, a real sshd on 127.0.0.1):
// no second login (sshd's log counts them), closing the notebook leaves the
// tab's session working (its master stops listening instead of ending), the
// master ends with the tab, and a tab opened after that logs in by itself.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { inspect, launchChromium, openModus, run, startServe, waitForBuffer, waitForInspect, waitForPrompt, type ModusServer } from '../helpers/browser.js';
import { descendants, makeClient, sshdAvailable, startSshd, stopSshd, type ClientFiles, type SshdHost } from '../helpers/sshd.js';
import { processRunning } from '../../main/files/process-alive.js';
import { tempDir } from '../helpers/temp-dir.js';

const unavailable = sshdAvailable();
const skip = unavailable === null ? false : `skipped: ${unavailable}`;

let dir = '';
let host: SshdHost | null = null;
let client: ClientFiles | null = null;
let browser: Browser | null = null;
let server: ModusServer | null = null;

before(async () => {
  if (skip) return;
  dir = tempDir('modus-e2e-tabmaster-');
  host = await startSshd({ dir: join(dir, 'h1'), name: 'h1' });
  client = await makeClient(join(dir, 'client'), [host]);
  server = await startServe({ settings: { sshConfig: client.sshConfig } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (host) await stopSshd(host, { sessions: true });
});

/** ssh logins on a loaded 2-core machine can take seconds; the deadlines only bound a hang. */
const SSH_MS = 60_000;

const logins = (): number => (readFileSync(host!.logFile, 'utf8').match(/Accepted publickey for root/g) ?? []).length;

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** The command lines of ssh processes `modus serve` started (an SSH tab's ssh is its child). */
function tabSsh(): string[] {
  return descendants(server!.pid)
    .filter((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'ssh')
    .map(cmdline);
}

/** A master has daemonized (ControlPersist): found by its title, `ssh: SOCKET [mux]`. */
function masterOf(socket: string): number | null {
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (Number.isInteger(pid) && cmdline(pid).startsWith(`ssh: ${socket} [mux]`)) return pid;
  }
  return null;
}

async function until(what: string, condition: () => boolean, timeoutMs = SSH_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Ctrl+Shift+M until the open prompt shows (a first press was once lost on a loaded machine, right after the page's prompt). */
async function openPrompt(p: Page): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    await p.keyboard.press('Control+Shift+M');
    try {
      await p.locator('.open-prompt-input').waitFor({ state: 'visible', timeout: 3000 });
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
}

async function showTab(p: Page, title: RegExp): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const titles = await inspect(p, 'tabTitles');
    if (title.test(titles[await inspect(p, 'activeTab')] ?? '')) return;
    await p.keyboard.press('Control+PageDown');
  }
  throw new Error(`no tab titled ${title}: ${JSON.stringify(await inspect(p, 'tabTitles'))}`);
}

test('an SSH tab rides on the master a notebook run opened to its host: no second login; it outlives the notebook; the master ends with it', { skip }, async () => {
  const { page: p } = await openModus(browser!, server!);
  const work = realpathSync(mkdtempSync(join(dir, 'nb-')));
  const path = join(work, 'on-h1.md');
  writeFileSync(path, '# On h1\n\n```sh :host h1\necho "notebook on $(hostname)"\n```\n');
  await openPrompt(p);
  await p.locator('.open-prompt-input').fill(path);
  await p.keyboard.press('Enter');
  await waitForInspect(p, 'notebooks', (l) => l.some((n) => n.path === path && n.analysedVersion !== null), 'the notebook open');
  await p.locator('.nb-view:visible .nb-trust-button').click();
  const runLens = p.locator('.nb-view:visible .codelens-decoration a', { hasText: /^\s*Run\s*$/ }).first();
  await runLens.waitFor({ state: 'visible', timeout: 15_000 });
  await runLens.click();
  await waitForInspect(p, 'notebooks', (l) => l.some((n) => n.path === path && n.blocks[0]!.results.join() === 'pass' && !n.dirty), 'the block to pass on h1', SSH_MS);
  const loggedIn = logins();
  assert.equal(loggedIn, 1, 'the run logged in once');

  await p.keyboard.press('Control+Shift+S');
  await waitForInspect(p, 'hostPicker', (h) => h.open && h.items.includes('h1'), 'the picker to list h1', 30_000);
  await p.keyboard.type('h1');
  await p.keyboard.press('Enter');
  await waitForPrompt(p, SSH_MS);
  await run(p, 'echo "tab at $((6*7))"');
  await waitForBuffer(p, /^tab at 42$/m, SSH_MS);
  assert.equal(logins(), loggedIn, 'the tab logged in no second time');
  const [tab] = tabSsh();
  const socket = /ControlPath=(\S+)/.exec(tab ?? '')?.[1];
  assert.ok(socket && tab!.includes('ControlMaster=no'), `the tab's ssh is a client of Modus's master: ${tab}`);
  const master = masterOf(socket);
  assert.ok(master !== null, `the master on ${socket} runs`);

  // Closing the notebook ends its connections, but not the one the tab's session runs on.
  await showTab(p, /On h1|on-h1/);
  await p.keyboard.press('Control+Shift+W');
  await waitForInspect(p, 'notebooks', (l) => !l.some((n) => n.path === path), 'the notebook closed');
  await until('the master to stop listening', () => cmdline(master).includes('[stopped mux]'));
  await showTab(p, /^ssh h1/);
  await run(p, 'echo "still at $((7*8))"');
  await waitForBuffer(p, /^still at 56$/m, SSH_MS);
  assert.ok(processRunning(master), 'the master carries the tab\'s session');

  // The master ends with the tab's session; the next connection is a login of its own.
  await run(p, 'exit');
  await waitForBuffer(p, /ssh h1 ended/, SSH_MS);
  await until('the master to end with the tab', () => !processRunning(master));
  await p.keyboard.press('Enter');
  await waitForPrompt(p, SSH_MS);
  assert.equal(logins(), loggedIn + 1, 'with no master up, the tab logs in');
  assert.doesNotMatch(tabSsh().join('\n'), /ControlPath=/, 'and is nobody\'s client');
  await p.close();
});
