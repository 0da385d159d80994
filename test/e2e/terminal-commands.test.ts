// Terminals that know their commands (shell integration), end to end in
// Chromium with a real bash and the user's own rc file: a mark per command,
// green or red by exit status, the status on hover; Ctrl+Shift+Up/Down move
// between prompts; a mark's menu copies the output; Send to notebook and
// recording append blocks with their results to a notebook.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { inspect, launchChromium, openModus, run, startServe, waitForInspect, waitForPrompt, type ModusServer } from '../helpers/browser.js';
import type { PaneInfo } from '../../renderer/src/test-hook-types.js';
import { waitUntil } from '../helpers/processes.js';

let server: ModusServer;
let browser: Browser;
let page: Page;

before(async () => {
  server = await startServe();
  // The user's own prompt and prompt hook, which integration must keep.
  writeFileSync(join(server.home, '.bashrc'), 'PS1="lab\\$ "\nPROMPT_COMMAND=\'history -a\'\n');
  browser = await launchChromium();
  page = (await openModus(browser, server)).page;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function waitCommands(p: Page, n: number): Promise<NonNullable<PaneInfo['commands']>> {
  const panes = await waitForInspect(p, 'panes', (ps) => (ps[0]?.commands?.filter((c) => c.seq !== null).length ?? 0) >= n, `${n} commands numbered`, 20_000);
  return panes[0]!.commands!;
}

test('each command gets a mark, green or red by its exit status, with the status on hover; the prompt is the user\'s', async () => {
  assert.match(await inspect(page, 'cursorLine'), /^lab\$ $/, 'the user\'s PS1');
  await run(page, 'echo fine');
  await waitCommands(page, 1);
  await run(page, 'false');
  const cmds = await waitCommands(page, 2);
  assert.deepEqual(cmds.map((c) => [c.seq, c.command, c.exitCode]), [[1, 'echo fine', 0], [2, 'false', 1]]);
  assert.equal(cmds[0]!.output, 'fine');
  await page.locator('.cmd-mark.cmd-failed').first().waitFor({ state: 'attached' });
  assert.equal(await page.locator('.cmd-mark.cmd-ok').count(), 1);
  assert.equal(await page.locator('.cmd-mark.cmd-failed').count(), 1);
  assert.equal(await page.locator('.cmd-mark.cmd-failed').getAttribute('title'), 'false: exit status 1');
});

test('Ctrl+Shift+Up and Down move between prompts', async () => {
  await waitForPrompt(page);
  await run(page, 'seq 1 200');
  await waitCommands(page, 3);
  await run(page, 'seq 1 100');
  await waitCommands(page, 4);
  await run(page, 'echo last');
  const cmds = await waitCommands(page, 5);
  await waitForPrompt(page);
  const line = (command: string): number => cmds.find((c) => c.command === command)!.promptLine;
  const bottom = await inspect(page, 'viewport');
  assert.equal(bottom.viewportY, bottom.baseY);
  const at = async (): Promise<number> => (await inspect(page, 'viewport')).viewportY;
  await page.keyboard.press('Control+Shift+ArrowUp');
  assert.equal(await at(), Math.min(line('echo last'), bottom.baseY), 'the last command\'s prompt (or as near as the last page allows)');
  await page.keyboard.press('Control+Shift+ArrowUp');
  assert.equal(await at(), line('seq 1 100'));
  await page.keyboard.press('Control+Shift+ArrowUp');
  assert.equal(await at(), line('seq 1 200'));
  await page.keyboard.press('Control+Shift+ArrowDown');
  assert.equal(await at(), line('seq 1 100'));
  await page.keyboard.press('Control+Shift+ArrowDown');
  await page.keyboard.press('Control+Shift+ArrowDown');
  assert.equal(await at(), bottom.baseY, 'back at the bottom');
});

test('a mark\'s menu copies the command\'s output', async () => {
  await run(page, "printf 'alpha\\nbeta\\n'");
  await waitCommands(page, 6);
  // By its command: the marks' order in the page is the order xterm drew them in, not the commands'.
  await page.locator('.cmd-mark[title^="printf"]').click();
  await page.locator('.cmd-menu .cmd-copy-output').click();
  const copied = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
  assert.equal(copied, 'alpha\nbeta');
});

test('Send to notebook appends the last command with its output; recording appends each command until stopped, with a badge meanwhile', async () => {
  const notebook = join(server.home, 'lab-notes.md');
  await run(page, 'echo "to the notes"');
  await waitCommands(page, 7);
  await page.keyboard.press('Control+Shift+K');
  const dialog = page.locator('.send-dialog-send');
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await dialog.locator('input[type=checkbox]:checked').count(), 1, 'the last command is picked');
  await dialog.locator('.send-dialog-path').fill(notebook);
  await page.keyboard.press('Enter');
  await page.locator('.banner', { hasText: 'appended to' }).waitFor();
  const sent = readFileSync(notebook, 'utf8');
  assert.match(sent, /```bash :dir \S+\necho "to the notes"\n```\n\n```results :host local [^\n]*:exit 0 :status pass[^\n]*\nto the notes\n```\n$/);

  await page.locator('.pane').first().click();
  await page.keyboard.press('Control+Shift+J');
  const record = page.locator('.send-dialog-record');
  await record.waitFor({ state: 'visible' });
  assert.equal(await record.locator('.send-dialog-path').inputValue(), notebook, 'the last notebook is offered');
  await page.keyboard.press('Enter');
  await page.locator('.rec-badge').waitFor({ state: 'visible' });
  for (const word of ['one', 'two', 'three']) await run(page, `echo ${word}`);
  await waitCommands(page, 10);
  await page.keyboard.press('Control+Shift+J');
  await page.locator('.rec-badge').waitFor({ state: 'detached' });
  await run(page, 'echo not-recorded');
  await waitCommands(page, 11);
  // A recorded command is appended after it ends, and after the terminal's earlier appends: the file is read once the last one is in.
  await waitUntil('the recorded commands to be in the notebook', () => readFileSync(notebook, 'utf8').includes('echo three\n```'));
  const recorded = readFileSync(notebook, 'utf8');
  assert.deepEqual([...recorded.matchAll(/```bash[^\n]*\n(.*)\n```/g)].map((m) => m[1]), ['echo "to the notes"', 'echo one', 'echo two', 'echo three']);
});
