// Notebook tabs in the workspace, end to end: `modus serve PATH.md` opens the
// notebook in the first tab; notebook tabs come back after a reload; closing
// a tab with unsaved changes asks, and keeps them when the user says no; the
// Open prompt completes paths and lists recent notebooks; a variable the
// blocks use and nothing defines is asked for before a run.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { inspect, launchChromium, openModus, startServe, waitForInspect, type ModusServer } from '../helpers/browser.js';
import type { NotebookInfo } from '../../renderer/src/test-hook-types.js';
import { tempDir } from '../helpers/temp-dir.js';

const servers: ModusServer[] = [];
let browser: Browser | null = null;

after(async () => {
  await browser?.close();
  for (const s of servers) await s.stop();
});

async function serve(args: string[] = []): Promise<ModusServer> {
  const s = await startServe({ args });
  servers.push(s);
  browser ??= await launchChromium();
  return s;
}

function scratch(): string {
  return tempDir('modus-e2e-nbws-');
}

async function waitNotebook(p: Page, path: string, ok: (n: NotebookInfo) => boolean, what: string): Promise<NotebookInfo> {
  const all = await waitForInspect(p, 'notebooks', (list) => list.some((n) => n.path === path && ok(n)), what, 20_000);
  return all.find((n) => n.path === path)!;
}

test('modus serve NOTES.md opens the notebook in the first tab; after a reload the notebook tab is back', async () => {
  const dir = scratch();
  const path = join(dir, 'notes.md');
  writeFileSync(path, '# Notes\n\n```sh\necho hi\n```\n');
  const server = await serve([path]);
  const p = (await openModus(browser!, server, undefined, undefined, false)).page;
  await waitNotebook(p, path, (n) => n.active && n.analysedVersion !== null, 'the notebook in front');
  assert.deepEqual(await inspect(p, 'tabTitles'), ['notes.md']);
  // The session is saved a moment after a change: wait for the file to name the notebook.
  const sessionFile = join(server.configDir, 'session.json');
  for (let i = 0; !(existsSync(sessionFile) && readFileSync(sessionFile, 'utf8').includes(JSON.stringify(path))); i++) {
    assert.ok(i < 300, `session.json never named ${path}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await p.reload();
  await waitForInspect(p, 'ready', (r) => r, 'ready again');
  await waitNotebook(p, path, (n) => n.analysedVersion !== null, 'the notebook tab restored');
  assert.equal((await inspect(p, 'tabTitles')).filter((t) => t === 'notes.md').length, 1, 'once, not twice (session and command line)');
  await p.close();
});

test('closing a notebook tab with unsaved changes asks; "cancel" keeps the tab and the changes, "ok" closes it and the file stays as saved', async () => {
  const dir = scratch();
  const path = join(dir, 'unsaved.md');
  writeFileSync(path, '# Unsaved\n');
  const server = await serve([path]);
  const p = (await openModus(browser!, server, undefined, undefined, false)).page;
  await waitNotebook(p, path, (n) => n.analysedVersion !== null, 'open');
  await p.locator('.nb-view:visible .monaco-editor .view-lines').click();
  await p.keyboard.press('Control+End');
  await p.keyboard.type('more text');
  await waitNotebook(p, path, (n) => n.dirty, 'dirty');
  assert.match((await inspect(p, 'tabTitles'))[0]!, /^● unsaved\.md$/, 'the tab shows unsaved changes');
  const asked: string[] = [];
  p.once('dialog', (d) => {
    asked.push(d.message());
    void d.dismiss();
  });
  await p.locator('.tab.active .tab-close').click();
  await waitNotebook(p, path, (n) => n.dirty, 'still open, still dirty');
  assert.match(asked[0] ?? '', /unsaved\.md has unsaved changes/);
  p.once('dialog', (d) => void d.accept());
  await p.locator('.tab.active .tab-close').click();
  await waitForInspect(p, 'notebooks', (list) => list.length === 0, 'closed');
  assert.equal(readFileSync(path, 'utf8'), '# Unsaved\n');
  await p.close();
});

test('the Open prompt completes directories and lists recent notebooks', async () => {
  const dir = scratch();
  mkdirSync(join(dir, 'procedures'));
  const path = join(dir, 'procedures', 'change.md');
  writeFileSync(path, '# Change\n');
  const server = await serve();
  const p = (await openModus(browser!, server)).page;
  await p.keyboard.press('Control+Shift+M');
  const input = p.locator('.open-prompt-input');
  await input.fill(join(dir, 'pro'));
  await p.locator('.open-prompt-list li', { hasText: 'procedures/' }).waitFor();
  await p.keyboard.press('Tab');
  await p.locator('.open-prompt-list li', { hasText: 'change.md' }).waitFor();
  assert.equal(await input.inputValue(), join(dir, 'procedures') + '/');
  await p.keyboard.press('ArrowDown');
  await p.keyboard.press('Enter');
  await waitNotebook(p, path, (n) => n.analysedVersion !== null, 'opened from the completion');
  await p.keyboard.press('Control+Shift+M');
  await p.locator('.open-prompt-list li.recent', { hasText: path }).waitFor();
  await p.keyboard.press('Escape');
  await p.close();
});

test('a variable the blocks use and nothing defines is asked for in the variables panel before anything runs', async () => {
  const dir = scratch();
  const path = join(dir, 'vars.md');
  writeFileSync(path, '---\nvars:\n  greeting: hello\n---\n\n```sh\necho "{{greeting}} {{peer}}"\n```\n');
  const server = await serve([path]);
  const p = (await openModus(browser!, server, undefined, undefined, false)).page;
  await waitNotebook(p, path, (n) => n.analysedVersion !== null, 'open');
  await p.locator('.nb-view:visible .nb-trust-button').click();
  await waitNotebook(p, path, (n) => n.trusted, 'trusted');
  const panel = p.locator('.nb-view:visible .nb-vars');
  await panel.waitFor({ state: 'visible' });
  assert.equal(await panel.locator('.nb-var.missing input').getAttribute('data-name'), 'peer');
  await p.locator('.nb-view:visible .nb-run-all').click();
  await waitNotebook(p, path, (n) => n.notices.some((m) => /Set peer in the variables panel first/.test(m)), 'asked for peer');
  assert.doesNotMatch(readFileSync(path, 'utf8'), /```results/, 'nothing ran');
  await panel.locator('input[data-name="peer"]').fill('198.51.100.7');
  await waitNotebook(p, path, (n) => n.problems.length === 0, 'no unknown variable left');
  await p.locator('.nb-view:visible .nb-run-all').click();
  await waitNotebook(p, path, (n) => n.blocks[0]!.results.includes('pass') && !n.dirty, 'ran');
  assert.match(readFileSync(path, 'utf8'), /\nhello 198\.51\.100\.7\n```/);
  assert.match(readFileSync(path, 'utf8'), /^---\nvars:\n {2}greeting: hello\n---\n/, 'the panel does not change the file');
  await p.close();
});
