// Notebooks in the app, end to end: the real `modus serve`, headless
// Chromium, real shells. Each test opens its own copy of a notebook through
// the Open notebook prompt (Ctrl+Shift+M), works the editor with the
// keyboard and the mouse as a user does, and checks the file on disk.
// Every wait is a condition with a deadline; nothing depends on speed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { inspect, launchChromium, openModus, startServe, waitForInspect, type ModusServer } from '../helpers/browser.js';
import type { NotebookInfo } from '../../renderer/src/test-hook-types.js';
import { tempDir } from '../helpers/temp-dir.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const MODUS = join(REPO, 'bin', 'modus.js');

let server: ModusServer;
let browser: Browser;

before(async () => {
  server = await startServe();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function scratch(): string {
  return tempDir('modus-e2e-nb-');
}

async function page(): Promise<Page> {
  const opened = await openModus(browser, server);
  return opened.page;
}

async function info(p: Page, path: string): Promise<NotebookInfo> {
  const all = await inspect(p, 'notebooks');
  const found = all.find((n) => n.path === path);
  if (!found) throw new Error(`${path} is not open; open: ${all.map((n) => n.path).join(', ')}`);
  return found;
}

function waitNotebook(p: Page, path: string, ok: (n: NotebookInfo) => boolean, what: string, timeoutMs = 20_000): Promise<NotebookInfo> {
  return waitForInspect(p, 'notebooks', (all) => all.some((n) => n.path === path && ok(n)), what, timeoutMs).then((all) => all.find((n) => n.path === path)!);
}

/** Opens a notebook the way a user does: the prompt, the path, Enter. */
async function openNotebook(p: Page, path: string): Promise<NotebookInfo> {
  await p.keyboard.press('Control+Shift+M');
  await p.locator('.open-prompt-input').waitFor({ state: 'visible' });
  await p.locator('.open-prompt-input').fill(path);
  await p.keyboard.press('Enter');
  return waitNotebook(p, path, (n) => n.analysedVersion !== null, `${path} open and analysed`);
}

async function trust(p: Page, path: string): Promise<void> {
  await p.locator('.nb-view:visible .nb-trust-button').click();
  await waitNotebook(p, path, (n) => n.trusted, 'trusted');
}

/** Puts the cursor on the first match of `text` with the editor's find (Ctrl+F), as a user does, revealing its line. */
async function goTo(p: Page, text: string): Promise<void> {
  await p.locator('.nb-view:visible .monaco-editor .view-lines').click();
  // From the top, so the first match is the one found (find looks forward from the cursor).
  await p.keyboard.press('Control+Home');
  await p.keyboard.press('Control+F');
  await p.keyboard.type(text);
  await p.keyboard.press('Escape');
}

/**
 * Clicks a code lens of block `n` (its text, and its tooltip naming the block), revealing the block
 * first with the editor's find (lenses are drawn only for lines on screen, a moment after they show).
 */
async function clickLens(p: Page, n: number, text: RegExp, reveal: string): Promise<void> {
  await goTo(p, reveal);
  const link = p.locator(`.nb-view:visible .codelens-decoration a[title*="block ${n} "]`, { hasText: text }).first();
  await link.waitFor({ state: 'visible', timeout: 15_000 });
  await link.click();
}

function tour(dir: string): string {
  const path = join(dir, 'local-tour.md');
  copyFileSync(join(REPO, 'notebooks', 'local-tour.md'), path);
  return path;
}

test('an untrusted notebook renders but cannot run; trusted, one block streams its output live and its results land in the editor and on disk', async () => {
  const p = await page();
  const path = tour(scratch());
  const before = readFileSync(path, 'utf8');
  const opened = await openNotebook(p, path);
  assert.equal(opened.trusted, false);
  assert.equal(opened.text, before, 'the editor holds the file as it is');
  assert.ok(opened.blocks.length >= 8);
  assert.match(await p.locator('.nb-view:visible .nb-trust').innerText(), /not trusted[^]*this machine/);
  // Run all while untrusted: refused, nothing runs, the file is untouched.
  await p.locator('.nb-view:visible .nb-run-all').click();
  await waitNotebook(p, path, (n) => n.notices.some((m) => /not trusted/.test(m)), 'the refusal');
  assert.equal(readFileSync(path, 'utf8'), before);

  await trust(p, path);
  await clickLens(p, 2, /^\s*Run\s*$/, 'echo "{{greeting}}, {{who}}"');
  const done = await waitNotebook(p, path, (n) => n.blocks[1]!.results.includes('pass') && !n.dirty, 'block 2 passed, results in the editor, saved');
  assert.deepEqual(done.output.entries.map((e) => [e.block, e.host, e.status]), [[2, 'local', 'pass']]);
  assert.match(done.output.text, /hello, lab/, 'the live view showed the output');
  const onDisk = readFileSync(path, 'utf8');
  assert.equal(done.text, onDisk, 'editor and file agree');
  assert.match(onDisk, /echo "\{\{greeting\}\}, \{\{who\}\}"\n```\n\n```results :host local :at \S+ :took \S+ :exit 0 :status pass :hash \w+\nhello, lab\n```/);
  await p.close();
});

test('Run all stops at the first block that does not pass; the blocks after it do not run', async () => {
  const p = await page();
  const path = tour(scratch());
  await openNotebook(p, path);
  await trust(p, path);
  await p.locator('.nb-view:visible .nb-run-all').click();
  await waitForInspect(p, 'notebooks', () => true, 'page alive');
  const done = await waitNotebook(p, path, (n) => n.blocks.some((b) => b.results.includes('fail')) && n.blocks.every((b) => b.run === null) && !n.dirty, 'the run to stop at the failure', 60_000);
  const failed = done.blocks.findIndex((b) => b.results.includes('fail'));
  assert.ok(failed > 0);
  assert.ok(done.blocks.slice(0, failed).every((b) => b.results.length === 0 || b.results.every((r) => r === 'pass')));
  assert.deepEqual(done.blocks.slice(failed + 1).flatMap((b) => b.results), [], 'nothing after the failure ran');
  assert.match(await p.locator('.nb-view:visible .nb-status-line').innerText(), /1 fail/);
  await p.close();
});

test('Cancel stops a long block: it is written as cancelled', async () => {
  const p = await page();
  const dir = scratch();
  const path = join(dir, 'long.md');
  writeFileSync(path, '# Long\n\n```sh\necho started\nsleep 600\n```\n');
  await openNotebook(p, path);
  await trust(p, path);
  await clickLens(p, 1, /^\s*Run\s*$/, 'sleep 600');
  await waitNotebook(p, path, (n) => n.blocks[0]!.run === 'running' && /started/.test(n.output.text), 'running, output shown');
  await clickLens(p, 1, /Cancel/, 'sleep 600');
  const done = await waitNotebook(p, path, (n) => n.blocks[0]!.results.includes('cancelled') && !n.dirty, 'cancelled');
  assert.match(readFileSync(path, 'utf8'), /:status cancelled[^\n]*\nstarted\nmodus: cancelled\n```/);
  assert.equal(done.blocks[0]!.run, null);
  await p.close();
});

test('a :confirm block asks first, showing its host and the exact command after substitution', async () => {
  const p = await page();
  const dir = scratch();
  const path = join(dir, 'confirm.md');
  writeFileSync(path, '---\nvars:\n  target: staging\n---\n\n```sh :confirm\necho "deploying to {{target}}"\n```\n');
  await openNotebook(p, path);
  await trust(p, path);
  await clickLens(p, 1, /^\s*Run\s*$/, 'deploying');
  const dialog = p.locator('.nb-confirm');
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await dialog.locator('.nb-confirm-hosts').innerText(), 'sh on local');
  assert.equal(await dialog.locator('.nb-confirm-script').innerText(), 'echo "deploying to staging"');
  assert.equal(await p.evaluate(() => (globalThis as unknown as { document: { activeElement: { className: string } | null } }).document.activeElement?.className), 'nb-button nb-confirm-no', "the safe answer has the focus");
  await dialog.locator('.nb-confirm-yes').click();
  await waitNotebook(p, path, (n) => n.blocks[0]!.results.includes('pass') && !n.dirty, 'ran after the answer');
  assert.match(readFileSync(path, 'utf8'), /deploying to staging\n```/);
  await p.close();
});

test('a block edited after its run shows stale, and modus check says the same', async () => {
  const p = await page();
  const dir = scratch();
  const path = join(dir, 'stale.md');
  writeFileSync(path, '# Stale\n\n```sh\necho one\n```\n');
  await openNotebook(p, path);
  await trust(p, path);
  await clickLens(p, 1, /^\s*Run\s*$/, 'echo one');
  await waitNotebook(p, path, (n) => n.blocks[0]!.results.includes('pass') && !n.dirty, 'ran');
  await goTo(p, 'one');
  await p.keyboard.press('End');
  await p.keyboard.type(' two');
  await waitNotebook(p, path, (n) => n.blocks[0]!.stale && n.analysedVersion === n.version, 'marked stale');
  await p.locator('.nb-view:visible .nb-after.nb-stale').first().waitFor({ state: 'visible' });
  assert.match(await p.locator('.nb-view:visible .nb-after').first().innerText(), /pass\s\S+\s·\sstale/);
  await p.keyboard.press('Control+S');
  await waitNotebook(p, path, (n) => !n.dirty, 'saved');
  const check = execFileSync(process.execPath, [MODUS, 'check', path], { encoding: 'utf8' });
  assert.match(check, /stale\.md:7:1 results of block 1 on local \(run \S+\) are stale/);
  await p.close();
});

test('results arriving while the user types elsewhere leave the typing and the cursor alone', async () => {
  const p = await page();
  const dir = scratch();
  const path = join(dir, 'typing.md');
  execFileSync('mkfifo', [join(dir, 'gate')]);
  writeFileSync(path, '# Typing\n\nNotes: \n\n```sh\ncat gate > /dev/null\necho released\n```\n\nAfter.\n');
  await openNotebook(p, path);
  await trust(p, path);
  await clickLens(p, 1, /^\s*Run\s*$/, 'cat gate');
  await waitNotebook(p, path, (n) => n.blocks[0]!.run === 'running', 'running');
  await goTo(p, 'Notes:');
  await p.keyboard.press('End');
  await p.keyboard.type('first half ');
  writeFileSync(join(dir, 'gate'), 'go\n');
  await waitNotebook(p, path, (n) => n.blocks[0]!.results.includes('pass'), 'results in');
  await p.keyboard.type('second half');
  const done = await info(p, path);
  assert.match(done.text, /^# Typing\n\nNotes: first half second half\n\n```sh\n/, 'the typing is whole, in place');
  assert.match(done.text, /echo released\n```\n\n```results [^\n]*:status pass[^\n]*\nreleased\n```\n\nAfter\.\n$/);
  assert.deepEqual(done.cursor, { line: 3, column: 'Notes: first half second half'.length + 1 }, 'the cursor stayed with the typing');
  assert.equal(done.dirty, true, 'the typing is not saved by the run');
  assert.doesNotMatch(readFileSync(path, 'utf8'), /first half/);
  // Undo takes back the user's typing, not the results with it.
  await p.keyboard.press('Control+Z');
  const undone = await info(p, path);
  assert.match(undone.text, /released\n```/);
  await p.close();
});

test('a file changed on disk while the editor has unsaved edits shows both in a comparison; nothing is lost', async () => {
  const p = await page();
  const dir = scratch();
  const path = join(dir, 'conflict.md');
  writeFileSync(path, '# Conflict\n\nline A\n');
  await openNotebook(p, path);
  await goTo(p, 'line A');
  await p.keyboard.press('End');
  await p.keyboard.type(' (mine)');
  await waitNotebook(p, path, (n) => n.dirty, 'dirty');
  writeFileSync(path, '# Conflict\n\nline A (theirs)\n');
  const view = p.locator('.nb-view:visible .nb-conflict');
  await view.waitFor({ state: 'visible' });
  await view.locator('.monaco-diff-editor').waitFor({ state: 'visible' });
  assert.match(await view.locator('.nb-conflict-head').innerText(), /changed on disk while you had unsaved edits/);
  const now = await info(p, path);
  assert.match(now.text, /line A \(mine\)/, 'the editor keeps the user\'s text');
  await p.keyboard.press('Control+S');
  await waitNotebook(p, path, (n) => n.notices.length >= 0, 'save asked');
  assert.equal(readFileSync(path, 'utf8'), '# Conflict\n\nline A (theirs)\n', 'a save does not overwrite the change');
  await view.locator('.nb-take-disk').click();
  await waitNotebook(p, path, (n) => n.text === '# Conflict\n\nline A (theirs)\n' && !n.dirty, "the file's version taken");
  await p.close();
});

test('a notebook full of XSS payloads renders inert, in the editor and in the report; the canary stays unset', async () => {
  const p = await page();
  const dir = scratch();
  const path = join(dir, 'xss.md');
  writeFileSync(
    path,
    [
      '# <img src=x onerror="window.__pwned=1">',
      '',
      '<script>window.__pwned=2</script>',
      '<svg onload="window.__pwned=3"><circle r=1 /></svg>',
      '<iframe srcdoc="<script>parent.__pwned=4</script>"></iframe>',
      '[click](javascript:window.__pwned=5) <a href="javascript:window.__pwned=6">a</a>',
      '',
      '```sh',
      'echo \'<img src=x onerror="window.__pwned=7">\'',
      '```',
      '',
      '```results :host local :status pass',
      '<script>window.__pwned=8</script><img src=x onerror="window.__pwned=9">',
      '```',
      '',
    ].join('\n'),
  );
  await openNotebook(p, path);
  // In the editor it is text: Monaco draws characters, never markup.
  await p.locator('.nb-view:visible .monaco-editor .view-lines', { hasText: 'onerror' }).first().waitFor();
  await p.locator('.nb-view:visible .nb-report-button').click();
  const report = await waitNotebook(p, path, (n) => n.reportOpen && n.reportText.includes('xss.md'), 'the report');
  assert.match(report.reportText, /<script>window.__pwned=8<\/script>/, 'results show as text');
  // Nothing in the report can act: no scripts, frames, handlers or javascript: links survived the sanitiser.
  const active = await p.locator('.nb-view:visible .nb-report-body').evaluate((host) => {
    const root = host.shadowRoot!;
    const all = Array.from(root.querySelectorAll('*'));
    return {
      scripts: root.querySelectorAll('script, iframe, object, embed, svg, form').length,
      handlers: all.filter((e) => Array.from(e.attributes).some((a) => a.name.startsWith('on'))).length,
      jsLinks: all.filter((e) => /^\s*javascript:/i.test(e.getAttribute('href') ?? '') || /^\s*javascript:/i.test(e.getAttribute('src') ?? '')).length,
      links: Array.from(root.querySelectorAll('a')).map((a) => a.getAttribute('href')),
    };
  });
  assert.deepEqual({ ...active, links: undefined }, { scripts: 0, handlers: 0, jsLinks: 0, links: undefined }, JSON.stringify(active.links));
  // Every link left is clicked: a confirmation names the target, and nothing runs.
  p.on('dialog', (d) => void d.dismiss());
  const links = p.locator('.nb-view:visible .nb-report-body a');
  for (let i = 0; i < (await links.count()); i++) await links.nth(i).click();
  const pwned = await p.evaluate(() => (globalThis as unknown as { __pwned?: unknown }).__pwned ?? null);
  assert.equal(pwned, null, 'no payload ran');
  await p.close();
});

test('the report view shows the statuses, and Export HTML writes the same report beside the notebook', async () => {
  const p = await page();
  const dir = scratch();
  const path = join(dir, 'report.md');
  writeFileSync(path, '---\ntitle: Report test\n---\n\n```sh\necho fine\n```\n\n```sh :expect nope\necho not it\n```\n');
  await openNotebook(p, path);
  await trust(p, path);
  await p.locator('.nb-view:visible .nb-keep-going input').check();
  await p.locator('.nb-view:visible .nb-run-all').click();
  await waitNotebook(p, path, (n) => n.blocks[1]!.results.includes('fail') && !n.dirty, 'both ran');
  await p.locator('.nb-view:visible .nb-report-button').click();
  const shown = await waitNotebook(p, path, (n) => n.reportOpen && /Report test/.test(n.reportText), 'the report');
  assert.match(shown.reportText, /pass/);
  assert.match(shown.reportText, /fail/);
  await p.locator('.nb-view:visible .nb-report-export').click();
  const file = join(dir, 'report.report.html');
  await waitNotebook(p, path, (n) => n.notices.some((m) => m.includes(file)), 'exported');
  const html = readFileSync(file, 'utf8');
  assert.match(html, /status-pass/);
  assert.match(html, /status-fail/);
  assert.doesNotMatch(html, /<script/i);
  await p.close();
});

test('a notebook of 2,000 blocks gets lens widgets only for the blocks on screen, and its statuses follow an edit', async () => {
  const p = await page();
  const dir = scratch();
  const path = join(dir, 'many.md');
  const parts = ['# Many blocks\n\nTop line.\n\n'];
  for (let i = 1; i <= 2000; i++) parts.push(`Step ${i}.\n\n\`\`\`sh\necho step ${i}\n\`\`\`\n\n\`\`\`results :host local :took 1ms :exit 0 :status pass\nstep ${i}\n\`\`\`\n\n`);
  writeFileSync(path, parts.join(''));
  await openNotebook(p, path);
  const lenses = p.locator('.nb-view:visible .codelens-decoration');
  await p.locator('.nb-view:visible .codelens-decoration a', { hasText: /^\s*Run\s*$/ }).first().waitFor();
  // Monaco updates every lens widget on every edit; one per block made typing and each analysis slow.
  const widgets = await lenses.count();
  assert.ok(widgets < 100, `${widgets} lens widgets for 2,000 blocks`);

  // Lines inserted above every block: each status must move with its fence line.
  await p.locator('.nb-view:visible .monaco-editor .view-lines').click();
  await p.keyboard.press('Control+Home');
  await p.keyboard.press('ArrowDown');
  await p.keyboard.press('ArrowDown');
  await p.keyboard.press('End');
  await p.keyboard.press('Enter');
  await p.keyboard.type('Inserted.');
  await waitNotebook(p, path, (n) => n.analysedVersion === n.version && n.blocks[0]!.startLine === 8, 'the analysis of the edited text');
  const statusLine = await p.locator('.nb-view:visible .nb-after').first().evaluate((el) => el.closest('.view-line')?.textContent ?? '');
  assert.match(statusLine.replace(/\u00a0/g, ' '), /^```sh\s+pass 1ms$/);
  assert.ok((await lenses.count()) < 100, 'still a widget only for the blocks shown');
  await p.close();
});
