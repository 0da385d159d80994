// Electron end to end, with Playwright's _electron, where an Electron binary
// exists (found the way `npm start` finds it: node_modules/electron/path.txt
// and dist/, or ELECTRON_OVERRIDE_DIST_PATH). Elsewhere: one line,
// "skipped: no Electron binary".
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { findElectronBinary } from '../../main/host/electron/electron-binary.js';
import type { ModusTestHook } from '../../renderer/src/test-hook-types.js';

const root = join(import.meta.dirname, '..', '..', '..');
const lookup = findElectronBinary(root);
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const skipReason = !lookup.found ? 'skipped: no Electron binary' : noDisplay ? 'skipped: no display for Electron (set DISPLAY, e.g. run under xvfb-run)' : null;

/** What the tests touch in the page (this project compiles tests without the DOM lib). */
interface PageGlobals {
  __modus?: ModusTestHook;
  modus: Record<string, unknown>;
  location: { href: string };
  open(url: string): unknown;
  document: {
    addEventListener(type: 'securitypolicyviolation', listener: (e: { violatedDirective: string }) => void, options: { once: boolean }): void;
    createElement(tag: 'img'): { src: string };
    body: { append(node: unknown): void };
  };
  Notification: { requestPermission(): Promise<string> };
  navigator: { permissions: { query(d: { name: string }): Promise<{ state: string }> } };
}

/** Resolves with the first line of `stream` matching `pattern` (a condition, not a sleep). */
function lineMatching(stream: Readable, pattern: RegExp, label: string, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let pending = '';
    const timer = setTimeout(() => {
      stream.off('data', onData);
      reject(new Error(`no line matching ${pattern} (${label}) within ${timeoutMs} ms`));
    }, timeoutMs);
    function onData(chunk: Buffer | string): void {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const hit = lines.find((l) => pattern.test(l));
      if (hit !== undefined) {
        clearTimeout(timer);
        stream.off('data', onData);
        resolve(hit);
      }
    }
    stream.on('data', onData);
  });
}

if (skipReason !== null) {
  process.stdout.write(`${skipReason}\n`);
  test('Electron end to end', { skip: skipReason }, () => {});
} else {
  describe('Electron end to end', () => {
    let app: ElectronApplication;
    let page: Page;
    let stderr: Readable;
    let profile: string;

    before(async () => {
      profile = mkdtempSync(join(tmpdir(), 'modus-electron-e2e-'));
      const args = [root, `--user-data-dir=${join(profile, 'user-data')}`];
      // Chromium refuses to run its sandbox as root; the renderer stays in
      // Electron's sandboxed mode (no Node, contextIsolation) either way.
      if (process.getuid?.() === 0) args.push('--no-sandbox');
      app = await _electron.launch({
        executablePath: lookup.found ? lookup.path : '',
        args,
        cwd: root,
        env: { ...process.env, MODUS_CONFIG_DIR: join(profile, 'config'), SHELL: '/bin/bash', ELECTRON_ENABLE_SECURITY_WARNINGS: 'true' },
        timeout: 60_000,
      });
      stderr = app.process().stderr as Readable;
      page = await app.firstWindow();
      await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__modus?.ready() === true, undefined, { timeout: 30_000 });
    });

    after(async () => {
      await app?.close();
      rmSync(profile, { recursive: true, force: true });
    });

    test('the UI comes from app://modus with the window locked down', async () => {
      assert.equal(page.url(), 'app://modus/index.html');
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const contents = BrowserWindow.getAllWindows()[0]!.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> };
        return contents.getLastWebPreferences();
      });
      assert.equal(prefs.contextIsolation, true);
      assert.equal(prefs.sandbox, true);
      assert.equal(prefs.nodeIntegration, false);
      assert.equal(prefs.webSecurity, true);
      assert.equal(prefs.webviewTag, false);
    });

    test('the page has no Node and exactly window.modus = { send, onMessage }', async () => {
      const facts = await page.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        module: typeof (globalThis as { module?: unknown }).module,
        bridge: Object.keys((globalThis as unknown as PageGlobals).modus).sort(),
        types: Object.values((globalThis as unknown as PageGlobals).modus).map((v) => typeof v),
      }));
      assert.deepEqual(facts, { require: 'undefined', process: 'undefined', module: 'undefined', bridge: ['onMessage', 'send'], types: ['function', 'function'] });
    });

    test('file:// cannot be read and remote images are blocked by the CSP', async () => {
      const fileRead = await page.evaluate(() => fetch('file:///etc/passwd').then((r) => r.text()).then(() => 'read', (e: Error) => `failed: ${e.message}`));
      assert.match(fileRead, /^failed/);
      const violated = await page.evaluate(
        () =>
          new Promise<string>((resolve) => {
            const { document } = globalThis as unknown as PageGlobals;
            document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true });
            const img = document.createElement('img');
            img.src = 'https://example.com/beacon.png';
            document.body.append(img);
          }),
      );
      assert.equal(violated, 'img-src');
    });

    test('window.open is refused and no window appears', async () => {
      const before = app.windows().length;
      const refused = lineMatching(stderr, /refused window-open to "https:\/\/example\.com\/?"/, 'window.open refusal');
      const opened = await page.evaluate(() => (globalThis as unknown as PageGlobals).open('https://example.com') === null);
      assert.equal(opened, true);
      await refused;
      assert.equal(app.windows().length, before);
      assert.equal(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length), 1);
    });

    test('navigation away from the UI is blocked', async () => {
      const refused = lineMatching(stderr, /refused navigation to "https:\/\/example\.com\/"/, 'navigation refusal');
      await page.evaluate(() => {
        (globalThis as unknown as PageGlobals).location.href = 'https://example.com/';
      });
      await refused;
      assert.equal(page.url(), 'app://modus/index.html');
      assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).__modus?.ready()), true, 'the UI is still there');
    });

    test('permissions are denied', async () => {
      assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).Notification.requestPermission()), 'denied');
      assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.permissions.query({ name: 'notifications' }).then((s) => s.state)), 'denied');
    });

    test('a terminal works: echo $((6*7)) prints 42', async () => {
      await page.locator('.xterm').first().click();
      await page.keyboard.type('echo $((6*7))');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => ((globalThis as unknown as PageGlobals).__modus?.bufferText() ?? '').split('\n').some((l) => l.trim() === '42'), undefined, { timeout: 15_000 });
    });
  });
}
