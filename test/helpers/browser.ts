// End-to-end plumbing: a real `modus serve` with throw-away config and home
// directories, and a real headless Chromium (Debian's /usr/bin/chromium
// through playwright-core) pointed at it.

import { spawn, type ChildProcess } from 'node:child_process';
import { before, after } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ModusTestHook } from '../../renderer/src/test-hook-types.js';

const root = join(import.meta.dirname, '..', '..', '..');
export const CHROMIUM = process.env.MODUS_CHROMIUM ?? '/usr/bin/chromium';

export interface ModusServer {
  /** http://HOST:PORT/?token=TOKEN as printed. */
  url: string;
  /** http://HOST:PORT */
  origin: string;
  token: string;
  /** The `modus serve` process. */
  pid: number;
  configDir: string;
  home: string;
  /** Everything the server wrote to stderr so far (for failure messages). */
  stderr(): string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Written to settings.json before the server starts. */
  settings?: unknown;
  /** More arguments for `modus serve` (notebooks to open). */
  args?: string[];
}

/** Starts `node bin/modus.js serve --port 0` and waits for its `Modus UI: URL` line. */
export async function startServe(options: ServeOptions = {}): Promise<ModusServer> {
  const base = mkdtempSync(join(tmpdir(), 'modus-e2e-'));
  const configDir = join(base, 'config');
  const home = join(base, 'home');
  mkdirSync(configDir);
  mkdirSync(home);
  if (options.settings !== undefined) writeFileSync(join(configDir, 'settings.json'), JSON.stringify(options.settings, null, 2));
  const child = spawn(process.execPath, [join(root, 'bin', 'modus.js'), 'serve', '--port', '0', ...(options.args ?? [])], {
    cwd: home,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      SHELL: '/bin/bash',
      MODUS_CONFIG_DIR: configDir,
      LANG: 'C.UTF-8',
      TERM: 'xterm-256color',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(new Error('timed out after 15 s')), 15_000);
    const fail = (e: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`modus serve did not print its "Modus UI:" line: ${e.message}\nstdout: ${stdout}\nstderr: ${stderr}`));
    };
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
      const m = /^Modus UI: (http:\/\/\S+)$/m.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code, signal) => fail(new Error(`it exited (code ${code}, signal ${signal})`)));
    child.once('error', fail);
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    pid: child.pid!,
    configDir,
    home,
    stderr: () => stderr,
    stop: () => stopChild(child).then(() => rmSync(base, { recursive: true, force: true })),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** SwiftShader WebGL, no background traffic (the bench's own launcher uses them too). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-features=Translate,MediaRouter',
];

/** Headless Chromium with CHROMIUM_ARGS and a fresh profile (Playwright makes one per launch). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
}

/** What the helpers below need of a page: Playwright's Page has it, and so does the bench's network-blind page. */
export interface PageLike {
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>;
  waitForFunction<A>(fn: (arg: A) => unknown, arg?: A, options?: { timeout?: number; polling?: number }): Promise<unknown>;
  keyboard: { type(text: string): Promise<void>; press(key: string): Promise<void> };
}

export interface ModusPage {
  context: BrowserContext;
  page: Page;
  /** Messages the page logged (errors, warnings and info lines), for failure messages. */
  console: string[];
}

/**
 * Opens the UI in a new context (clipboard allowed) and waits until the first shell has printed its prompt.
 * `initScript` runs in the page before any of its own scripts.
 */
export async function openModus(
  browser: Browser,
  server: ModusServer,
  viewport = { width: 1000, height: 700 },
  initScript?: () => void,
  /** Wait for a shell prompt (false when the window opens with notebooks only). */
  prompt = true,
): Promise<ModusPage> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  const page = await context.newPage();
  if (initScript) await page.addInitScript(initScript);
  const console: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning' || m.type() === 'info') console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
  await page.goto(server.url);
  await page.waitForFunction(() => (globalThis as unknown as { __modus?: ModusTestHook }).__modus?.ready() === true, undefined, { timeout: 30_000 });
  if (prompt) await waitForPrompt(page);
  return { context, page, console };
}

/** What a test file's tests share: one `modus serve`, one Chromium, one Modus page. */
export interface SharedModus {
  readonly server: ModusServer;
  readonly browser: Browser;
  readonly page: Page;
  /** What the page logged (see ModusPage.console). */
  readonly console: string[];
}

/** Starts a SharedModus before the file's first test and closes it after its last. */
export function shareModusPage(): SharedModus {
  let server: ModusServer | null = null;
  let browser: Browser | null = null;
  let opened: ModusPage | null = null;
  before(async () => {
    server = await startServe();
    browser = await launchChromium();
    opened = await openModus(browser, server);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  const ready = <T>(value: T | null): T => {
    if (value === null) throw new Error('the shared Modus page is used before its before() hook ran');
    return value;
  };
  return {
    get server() {
      return ready(server);
    },
    get browser() {
      return ready(browser);
    },
    get page() {
      return ready(opened).page;
    },
    get console() {
      return ready(opened).console;
    },
  };
}

/** Calls a read-only inspection function of window.__modus in the page. */
export function inspect<K extends keyof ModusTestHook>(page: PageLike, name: K): Promise<ReturnType<ModusTestHook[K]>> {
  return page.evaluate((n) => {
    const hook = (globalThis as unknown as { __modus: Record<string, () => unknown> }).__modus;
    return hook[n]!();
  }, name) as Promise<ReturnType<ModusTestHook[K]>>;
}

/** Waits until the focused terminal's buffer text matches `pattern`; the error shows the buffer. */
export async function waitForBuffer(page: PageLike, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  try {
    await page.waitForFunction(
      ([source, flags]) => new RegExp(source, flags).test((globalThis as unknown as { __modus: ModusTestHook }).__modus.bufferText()),
      [pattern.source, pattern.flags] as const,
      { timeout: timeoutMs, polling: 50 },
    );
  } catch (e) {
    const text = await inspect(page, 'bufferText').catch(() => '(page gone)');
    const panes = await inspect(page, 'panes').catch(() => []);
    throw new Error(
      `the terminal never showed ${pattern} within ${timeoutMs} ms: ${(e as Error).message}\n` +
        `panes: ${JSON.stringify(panes)}\n--- buffer (last 20 lines) ---\n${text.split('\n').slice(-20).join('\n')}`,
    );
  }
  return inspect(page, 'bufferText');
}

/** A bash prompt ends in "$ " (or "# " as root). */
export const PROMPT = /[$#] $/;

/** Waits until the focused terminal's cursor line is a fresh prompt. */
export async function waitForPrompt(page: PageLike, timeoutMs = 15_000): Promise<void> {
  try {
    await page.waitForFunction(() => /[$#] ?$/.test((globalThis as unknown as { __modus: ModusTestHook }).__modus.cursorLine()), undefined, { timeout: timeoutMs, polling: 50 });
  } catch (e) {
    const text = await inspect(page, 'bufferText').catch(() => '(page gone)');
    throw new Error(`no shell prompt within ${timeoutMs} ms: ${(e as Error).message}\n--- buffer ---\n${text.split('\n').slice(-20).join('\n')}`);
  }
}

/** Types a command line into the focused terminal and presses Enter. */
export async function run(page: PageLike, command: string): Promise<void> {
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

/** Waits for a predicate over an inspection result (polling in the page). */
export async function waitForInspect<K extends keyof ModusTestHook>(
  page: PageLike,
  name: K,
  predicate: (value: ReturnType<ModusTestHook[K]>) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<ReturnType<ModusTestHook[K]>> {
  const deadline = Date.now() + timeoutMs;
  let last: ReturnType<ModusTestHook[K]> | undefined;
  for (;;) {
    last = await inspect(page, name);
    if (predicate(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last ${name}(): ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
