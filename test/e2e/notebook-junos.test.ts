// Junos in the app, end to end: real `modus serve`, headless Chromium, the
// Junos simulator behind a real sshd. A ```junos block is coloured by the
// Junos language, with the very tokens the report uses; a commit confirmed
// run from the editor shows as a countdown that survives a reload and a
// restart of the app (it comes from the journal); Confirm and Roll back now
// each add a block and its results to the file, and the device does it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { inspect, launchChromium, openModus, startServe, waitForInspect, type ModusServer } from '../helpers/browser.js';
import { junosSimAvailable, startJunosSim, type JunosSim } from '../junos-sim/harness.js';
import { junosLineTokens } from '../../shared/junos-language.js';
import type { NotebookInfo } from '../../renderer/src/test-hook-types.js';
import { tempDir } from '../helpers/temp-dir.js';

const unavailable = junosSimAvailable();
const simSkip = unavailable === null ? false : `skipped: ${unavailable}`;
const F = '```';

let dir = '';
let sim: JunosSim | null = null;
let server: ModusServer | null = null;
let browser: Browser | null = null;

before(async () => {
  dir = tempDir('modus-e2e-junos-');
  if (!simSkip) sim = await startJunosSim({ dir: join(dir, 'sim'), devices: [{ name: 'r1' }, { name: 'r2' }, { name: 'r3' }], clock: 'manual' });
  server = await startServe(sim ? { settings: { sshConfig: sim.sshConfig } } : {});
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await sim?.stop();
});

async function waitNotebook(p: Page, path: string, ok: (n: NotebookInfo) => boolean, what: string, timeoutMs = 60_000): Promise<NotebookInfo> {
  const all = await waitForInspect(p, 'notebooks', (list) => list.some((n) => n.path === path && ok(n)), what, timeoutMs);
  return all.find((n) => n.path === path)!;
}

async function open(p: Page, path: string): Promise<void> {
  await p.keyboard.press('Control+Shift+M');
  await p.locator('.open-prompt-input').fill(path);
  await p.keyboard.press('Enter');
  await waitNotebook(p, path, (n) => n.analysedVersion !== null, 'open and analysed');
}

async function trust(p: Page, path: string): Promise<void> {
  await p.locator('.nb-view:visible .nb-trust-button').click();
  await waitNotebook(p, path, (n) => n.trusted, 'trusted');
}

async function runLens(p: Page): Promise<void> {
  const link = p.locator('.nb-view:visible .codelens-decoration a', { hasText: /^\s*Run\s*$/ }).first();
  await link.waitFor({ state: 'visible', timeout: 15_000 });
  await link.click();
}

/** A notebook with one change committed confirmed on `device`, its inventory beside it. */
function changeNotebook(device: string, building: string): string {
  const work = realpathSync(mkdtempSync(join(dir, 'nb-')));
  copyFileSync(sim!.inventory, join(work, 'inventory.yaml'));
  const path = join(work, `change-${device}.md`);
  writeFileSync(path, `# Change on ${device}\n\n${F}junos :host ${device} :commit confirmed 5 :name change\nsystem {\n    location {\n        building "${building}";\n    }\n}\n${F}\n`);
  return path;
}

/** Runs the notebook's one block and waits for its countdown; `startedAt`: just before the run was asked for. */
async function commitConfirmed(p: Page, path: string, device: string): Promise<NotebookInfo & { startedAt: number }> {
  await open(p, path);
  await trust(p, path);
  const startedAt = Date.now();
  await runLens(p);
  const n = await waitNotebook(p, path, (x) => x.blocks[0]!.results.length > 0 && x.pending.some((q) => q.host === device), `the commit confirmed on ${device} and its countdown`);
  assert.deepEqual(n.blocks[0]!.results, ['pass'], readFileSync(path, 'utf8'));
  return { ...n, startedAt };
}

test('a junos block in the editor gets the Junos tokens, the same the report uses, and their colours', async () => {
  const work = realpathSync(mkdtempSync(join(dir, 'nb-')));
  const path = join(work, 'colours.md');
  const body = [
    'interfaces {',
    '    ge-0/0/0 {',
    '        description "to core";',
    '        unit 0 { family inet { address 192.0.2.1/24; } }',
    '    }',
    '    inactive: ae0 {',
    '        /* bundle */',
    '        aggregated-ether-options { lacp { active; } }',
    '    }',
    '}',
    'firewall { family inet { filter F { term t { then discard; } } } }',
    'set interfaces irb unit 100 family inet6 address 2001:db8::1/64',
  ];
  writeFileSync(path, `# Colours\n\n${F}junos :host r1\n${body.join('\n')}\n${F}\n\n${F}sh\necho hi\n${F}\n`);
  const p = (await openModus(browser!, server!)).page;
  await open(p, path);
  const shown = (await inspect(p, 'notebookTokens'))!;
  assert.equal(shown.path, path);
  // Lines 4.. of the file are the block's body: Monaco's tokens there are exactly the shared tokenizer's.
  const expected = junosLineTokens(body.join('\n'));
  assert.deepEqual(shown.lines.slice(3, 3 + body.length), expected);
  assert.ok(expected.flat().some((t) => t.type === 'variable.interface.junos') && expected.flat().some((t) => t.type === 'keyword.deny.junos'));
  // The fence line is the notebook's, and the next block is shell again (its language loads lazily: wait for it).
  assert.ok(shown.lines[2]!.some((t) => t.type === 'keyword.lang.modus-notebook'));
  const echo = 3 + body.length + 3;
  await waitForInspect(p, 'notebookTokens', (t) => t?.lines[echo]?.some((x) => x.type.endsWith('.shell')) ?? false, 'the sh block coloured as shell');
  // What the user sees: the colours of the editor's theme on those words.
  const words = ['interfaces', 'ge-0/0/0', '192.0.2.1/24', 'inactive:', 'discard'];
  const coloursOf = (list: string[]): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const span of Array.from(document.querySelectorAll<HTMLElement>('.nb-view .view-lines span span'))) {
      const t = span.textContent ?? '';
      if (list.includes(t) && !out[t]) out[t] = getComputedStyle(span).color;
    }
    return out;
  };
  // The editor draws its lines a frame after the text is in: wait until every word is on screen.
  let colours: Record<string, string> = {};
  for (const deadline = Date.now() + 15_000; Object.keys(colours).length < words.length; await new Promise((r) => setTimeout(r, 50))) {
    assert.ok(Date.now() < deadline, `the editor never showed ${words.join(', ')}: ${JSON.stringify(colours)}`);
    colours = await p.evaluate(coloursOf, words);
  }
  assert.deepEqual(colours, {
    interfaces: 'rgb(86, 156, 214)',
    'ge-0/0/0': 'rgb(78, 201, 176)',
    '192.0.2.1/24': 'rgb(220, 220, 170)',
    'inactive:': 'rgb(197, 134, 192)',
    discard: 'rgb(241, 76, 76)',
  });
  await p.close();
});

test('a commit confirmed run in the app counts down; after a reload and a restart of the app it is still there; Confirm adds a confirm block and its results, and the countdown goes', { skip: simSkip }, async () => {
  const path = changeNotebook('r1', 'E2E-1');
  const p = (await openModus(browser!, server!)).page;
  const n = await commitConfirmed(p, path, 'r1');
  const shown = n.pending.find((q) => q.host === 'r1')!;
  assert.match(shown.text, /^r1: the commit confirmed of block 1 \(change\) rolls back in \d:\d\d \(at (\d{4}-\d\d-\d\dT)?\d\d:\d\d:\d\dZ\) unless confirmed$/);
  // Five minutes after the commit, which was made between the click and now (the deadline is written to the second).
  const deadline = Date.parse(shown.rollbackAt);
  assert.ok(deadline >= n.startedAt - 1000 + 5 * 60_000 && deadline <= Date.now() + 5 * 60_000, shown.rollbackAt);
  assert.match(readFileSync(path, 'utf8'), new RegExp(`:rollback-at ${shown.rollbackAt}`));
  assert.ok(sim!.devices.get('r1')!.pendingConfirm(), 'the device has it pending');

  // Reload the page: the notebook tab comes back with its countdown (the session names it once saved).
  const sessionFile = join(server!.configDir, 'session.json');
  for (let i = 0; !(existsSync(sessionFile) && readFileSync(sessionFile, 'utf8').includes(JSON.stringify(path))); i++) {
    assert.ok(i < 300, `session.json never named ${path}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await p.reload();
  await waitForInspect(p, 'ready', (r) => r, 'ready again', 30_000);
  await waitNotebook(p, path, (x) => x.pending.some((q) => q.host === 'r1' && q.rollbackAt === shown.rollbackAt), 'the countdown after a reload');
  await p.close();

  // Restart the app: another modus serve, another configuration directory (so the notebook is not trusted there yet).
  const restarted = await startServe({ settings: { sshConfig: sim!.sshConfig }, args: [path] });
  try {
    const q = (await openModus(browser!, restarted, undefined, undefined, false)).page;
    await waitNotebook(q, path, (x) => x.pending.some((e) => e.host === 'r1' && e.rollbackAt === shown.rollbackAt), 'the countdown after a restart');
    await trust(q, path);
    await q.locator('.nb-view:visible .nb-pending-row[data-host="r1"] .nb-pending-confirm').click();
    const done = await waitNotebook(q, path, (x) => x.pending.length === 0 && x.blocks.length === 2 && x.blocks[1]!.results.length > 0 && !x.dirty, 'the confirm block, its results, the countdown gone');
    assert.deepEqual(done.blocks[1]!.results, ['pass']);
    const text = readFileSync(path, 'utf8');
    assert.match(text, new RegExp(`\\n\\*\\*r1\\*\\*: confirm the commit confirmed of block 1 \\(change\\), due to roll back at ${shown.rollbackAt}\\.\\n\\n${F}junos :host r1 :commit confirm\\n${F}\\n\\n${F}results :host r1 [^\\n]*:status pass[^\\n]*\\nroot@r1> configure exclusive\\nroot@r1# commit comment "modus: change-r1\\.md block 2"\\ncommit complete\\nmodus: confirmed: r1 keeps the commit confirmed of `));
    assert.equal(done.text, text.replace(/^\uFEFF/, ''), 'the editor shows the file');
    const dev = sim!.devices.get('r1')!;
    assert.equal(dev.pendingConfirm(), null, 'the device has nothing pending');
    assert.equal(dev.history()[0]!.log, 'modus: change-r1.md block 2');
    assert.match(dev.activeText(), /building E2E-1;/);
    // The report keeps what was done.
    await q.locator('.nb-view:visible .nb-report-button').click();
    const report = await waitNotebook(q, path, (x) => x.reportOpen && x.reportText.includes('commit confirm'), 'the report');
    assert.match(report.reportText, /r1: confirm the commit confirmed of block 1 \(change\)/);
    // The change's diff in the report view, coloured by the report's own stylesheet (light scheme here).
    const diff = await q.evaluate(() => {
      const root = document.querySelector('.nb-view .nb-report-body')?.shadowRoot;
      const colour = (cls: string): [string, string] | null => {
        const el = root?.querySelector<HTMLElement>(`.${cls}`);
        return el ? [el.textContent ?? '', getComputedStyle(el).color] : null;
      };
      return { header: colour('jt-meta-diff-header'), inserted: colour('jt-diff-inserted'), block: colour('jt-keyword-block') };
    });
    assert.deepEqual(diff, { header: ['[edit system]', 'rgb(5, 80, 174)'], inserted: ['+', 'rgb(26, 127, 55)'], block: ['system', 'rgb(5, 80, 174)'] });
    await q.close();
  } finally {
    await restarted.stop();
  }
});

test('Roll back now asks first, then adds a rollback block and its results; the device is back to its configuration from before', { skip: simSkip }, async () => {
  const dev = sim!.devices.get('r2')!;
  const before = dev.activeText();
  const path = changeNotebook('r2', 'E2E-2');
  const p = (await openModus(browser!, server!)).page;
  await commitConfirmed(p, path, 'r2');
  assert.match(dev.activeText(), /building E2E-2;/);
  await p.locator('.nb-view:visible .nb-pending-row[data-host="r2"] .nb-pending-rollback').click();
  const dialog = p.locator('.nb-confirm');
  await dialog.waitFor({ state: 'visible' });
  assert.equal(await dialog.locator('h2').innerText(), 'Roll back r2 now?');
  assert.equal(await dialog.locator('.nb-confirm-script').innerText(), `${F}junos :host r2 :commit rollback\n${F}`);
  assert.equal(await p.evaluate(() => document.activeElement?.className), 'nb-button nb-confirm-no', 'the safe answer has the focus');
  await dialog.locator('.nb-confirm-yes').click();
  const done = await waitNotebook(p, path, (x) => x.pending.length === 0 && x.blocks.length === 2 && x.blocks[1]!.results.length > 0 && !x.dirty, 'the rollback block, its results, the countdown gone');
  assert.deepEqual(done.blocks[1]!.results, ['pass']);
  const text = readFileSync(path, 'utf8');
  assert.match(text, new RegExp(`\\n\\*\\*r2\\*\\*: roll back the commit confirmed of block 1 \\(change\\) now, before its deadline \\([^)]+\\)\\.\\n\\n${F}junos :host r2 :commit rollback\\n${F}\\n\\n${F}results :host r2 [^\\n]*:status pass[^\\n]*\\nroot@r2> configure exclusive\\nroot@r2# rollback 1\\nload complete\\nroot@r2# show \\| compare\\n\\[edit system\\]\\n- +location \\{\\n- +building E2E-2;`));
  assert.equal(dev.activeText(), before, 'the device has its configuration from before the change');
  assert.equal(dev.pendingConfirm(), null);
  await p.close();
});

test('when the deadline passes the countdown leaves and says the device has rolled back (page and simulator clocks moved on)', { skip: simSkip }, async () => {
  const dev = sim!.devices.get('r3')!;
  const before = dev.activeText();
  const path = changeNotebook('r3', 'E2E-3');
  const p = (await openModus(browser!, server!)).page;
  // The page's clock is Playwright's from here on (it keeps running), so the countdown can be moved five minutes on.
  await p.clock.install();
  await commitConfirmed(p, path, 'r3');
  await sim!.advanceClock(5 * 60_000 + 1000);
  assert.equal(dev.activeText(), before, 'the simulator rolled it back');
  await p.clock.fastForward('05:01');
  const n = await waitNotebook(p, path, (x) => x.pending.length === 0 && x.notices.some((m) => /deadline/.test(m)), 'the countdown gone and the notice');
  assert.match(n.notices.at(-1)!, /^r3: the deadline of the commit confirmed of block 1 passed at \S+Z; unless it was confirmed elsewhere, r3 has rolled it back\.$/);
  await p.close();
});
