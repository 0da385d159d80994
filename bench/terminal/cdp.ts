// Chromium for the terminal bench, driven over the DevTools protocol with
// only the domains a measurement needs (Target, Page, Runtime, Input,
// Emulation, Performance, HeapProfiler, SystemInfo), never Network.
//
// Why not Playwright here: Playwright enables the Network domain on every
// page, and Chromium then copies every WebSocket frame, base64-encoded, to
// the client over CDP. Measured on the 2-core CI machine, a bare xterm page
// fed over a WebSocket from memory ran at 3.8 MB/s with Playwright attached
// and 7.8 MB/s without: the bench measured Playwright, and no user pays that.
// The e2e tests keep Playwright (their subject is behaviour, not speed).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { CHROMIUM, CHROMIUM_ARGS, type PageLike } from '../../test/helpers/browser.js';

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  sessionId?: string;
  result?: Record<string, unknown>;
  error?: { message: string; data?: string };
}

type Listener = (params: Record<string, unknown>) => void;

/** One WebSocket to the browser; pages are flattened sessions on it. */
class CdpConnection {
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void; method: string }>();
  readonly #listeners = new Map<string, Set<Listener>>();

  constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.#receive(JSON.parse(String(data)) as CdpMessage));
    socket.on('close', () => {
      for (const p of this.#pending.values()) p.reject(new Error(`${p.method}: the browser closed the DevTools connection`));
      this.#pending.clear();
    });
  }

  static open(url: string): Promise<CdpConnection> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 30 });
      socket.once('open', () => resolve(new CdpConnection(socket)));
      socket.once('error', reject);
    });
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, method });
      this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  /** `method` events of one session (or of the browser, without a session). */
  on(method: string, sessionId: string | undefined, listener: Listener): () => void {
    const key = `${sessionId ?? ''} ${method}`;
    let set = this.#listeners.get(key);
    if (!set) this.#listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  #receive(message: CdpMessage): void {
    if (message.id !== undefined) {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (!pending) return;
      if (message.error) pending.reject(new Error(`${pending.method}: ${message.error.message}${message.error.data ? ` (${message.error.data})` : ''}`));
      else pending.resolve(message.result ?? {});
      return;
    }
    if (message.method) for (const l of this.#listeners.get(`${message.sessionId ?? ''} ${message.method}`) ?? []) l(message.params ?? {});
  }

  close(): void {
    this.socket.close();
  }
}

export interface ProcessInfo {
  type: string;
  id: number;
  /** CPU seconds since the process started. */
  cpuTime: number;
}

export interface Viewport {
  width: number;
  height: number;
}

/** US-layout key codes: xterm reads keyCode for Ctrl combinations and for printable keys on keydown. */
const NAMED_KEYS: Record<string, { code: string; keyCode: number; text?: string }> = {
  Enter: { code: 'Enter', keyCode: 13, text: '\r' },
  Tab: { code: 'Tab', keyCode: 9, text: '\t' },
  Backspace: { code: 'Backspace', keyCode: 8 },
  Escape: { code: 'Escape', keyCode: 27 },
  Home: { code: 'Home', keyCode: 36 },
  End: { code: 'End', keyCode: 35 },
};
const PUNCTUATION = ";=,-./`[\\]'";
const PUNCTUATION_CODES = [186, 187, 188, 189, 190, 191, 192, 219, 220, 221, 222];
const SHIFTED_PUNCTUATION = ':+<_>?~{|}"';
const SHIFTED_DIGITS = ')!@#$%^&*(';
const MODIFIER_BITS: Record<string, number> = { Alt: 1, Control: 2, Meta: 4, Shift: 8 };

function keyCodeOf(char: string): number {
  if (/^[a-z]$/i.test(char)) return char.toUpperCase().charCodeAt(0);
  if (/^[0-9]$/.test(char)) return char.charCodeAt(0);
  if (char === ' ') return 32;
  const digit = SHIFTED_DIGITS.indexOf(char);
  if (digit >= 0) return 48 + digit;
  const punct = Math.max(PUNCTUATION.indexOf(char), SHIFTED_PUNCTUATION.indexOf(char));
  return punct >= 0 ? PUNCTUATION_CODES[punct]! : 0;
}

/** A page with Playwright's calling conventions for what the bench uses, and nothing that observes the network. */
export class BenchPage implements PageLike {
  /** Errors and warnings the page logged, and uncaught exceptions. */
  readonly logs: string[] = [];
  readonly keyboard = {
    type: async (text: string): Promise<void> => {
      for (const char of text) await this.keyboard.press(char);
    },
    press: (combo: string): Promise<void> => this.#press(combo),
  };
  readonly mouse = {
    /** A left click at (x, y) in CSS pixels of the viewport. */
    click: (x: number, y: number): Promise<void> => this.#click(x, y),
  };

  constructor(
    private readonly connection: CdpConnection,
    private readonly sessionId: string,
    private readonly targetId: string,
    private readonly contextId: string,
  ) {
    connection.on('Runtime.consoleAPICalled', sessionId, (p) => {
      const type = String(p.type);
      if (type !== 'error' && type !== 'warning') return;
      const args = (p.args as { value?: unknown; description?: string }[]).map((a) => (a.value !== undefined ? String(a.value) : (a.description ?? '')));
      this.logs.push(`${type}: ${args.join(' ')}`);
    });
    connection.on('Runtime.exceptionThrown', sessionId, (p) => {
      const details = p.exceptionDetails as { text: string; exception?: { description?: string } };
      this.logs.push(`pageerror: ${details.exception?.description ?? details.text}`);
    });
  }

  /** A CDP command to this page. */
  cdp(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.connection.send(method, params, this.sessionId);
  }

  async goto(url: string): Promise<void> {
    const loaded = new Promise<void>((resolve) => {
      const off = this.connection.on('Page.loadEventFired', this.sessionId, () => {
        off();
        resolve();
      });
    });
    const result = await this.cdp('Page.navigate', { url });
    if (typeof result.errorText === 'string') throw new Error(`navigating to ${url}: ${result.errorText}`);
    await loaded;
  }

  /** Runs `fn` in every document this page loads from now on, before the document's own scripts. */
  async addInitScript(fn: () => void): Promise<void> {
    await this.cdp('Page.addScriptToEvaluateOnNewDocument', { source: `(${fn.toString()})();` });
  }

  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>;
  async evaluate<R, A>(fn: (arg?: A) => R | Promise<R>, arg?: A): Promise<R> {
    return this.#evaluateExpression(`(${fn.toString()})(${arg === undefined ? '' : JSON.stringify(arg)})`);
  }

  /** Polls `fn` in the page on a timer (never on animation frames, which would add a frame loop of their own). */
  async waitForFunction<A>(fn: (arg: A) => unknown, arg?: A, options: { timeout?: number; polling?: number } = {}): Promise<unknown> {
    const timeout = options.timeout ?? 30_000;
    const polling = options.polling ?? 100;
    const expression = `(async () => {
      const check = (${fn.toString()});
      const deadline = performance.now() + ${timeout};
      for (;;) {
        const value = await check(${arg === undefined ? '' : JSON.stringify(arg)});
        if (value) return true;
        if (performance.now() > deadline) throw new Error('waitForFunction: timed out after ${timeout} ms');
        await new Promise((resolve) => setTimeout(resolve, ${polling}));
      }
    })()`;
    return this.#evaluateExpression(expression);
  }

  waitForTimeout(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async close(): Promise<void> {
    await this.connection.send('Target.closeTarget', { targetId: this.targetId }).catch(() => undefined);
    await this.connection.send('Target.disposeBrowserContext', { browserContextId: this.contextId }).catch(() => undefined);
  }

  async #evaluateExpression<R>(expression: string): Promise<R> {
    const response = await this.cdp('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true, userGesture: true });
    const details = response.exceptionDetails as { text: string; exception?: { description?: string } } | undefined;
    if (details) throw new Error(details.exception?.description ?? details.text);
    return (response.result as { value: R }).value;
  }

  async #click(x: number, y: number): Promise<void> {
    await this.cdp('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
    await this.cdp('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', buttons: 1, clickCount: 1 });
    await this.cdp('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', buttons: 0, clickCount: 1 });
  }

  async #press(combo: string): Promise<void> {
    const parts = combo.length === 1 ? [combo] : combo.split('+');
    const key = parts.pop()!;
    const modifiers = parts.reduce((bits, name) => {
      const bit = MODIFIER_BITS[name];
      if (bit === undefined) throw new Error(`unknown modifier "${name}" in "${combo}"`);
      return bits | bit;
    }, 0);
    const named = NAMED_KEYS[key];
    if (!named && key.length !== 1) throw new Error(`unknown key "${key}" in "${combo}"`);
    const keyCode = named?.keyCode ?? keyCodeOf(key);
    const code = named?.code ?? (/^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : /^[0-9]$/.test(key) ? `Digit${key}` : '');
    // A character is typed only without Ctrl, Alt or Meta, as on a real keyboard.
    const text = (modifiers & ~MODIFIER_BITS.Shift!) === 0 ? (named?.text ?? (named ? undefined : key)) : undefined;
    const common = { modifiers, key, code, windowsVirtualKeyCode: keyCode, nativeVirtualKeyCode: keyCode };
    await this.cdp('Input.dispatchKeyEvent', { type: text === undefined ? 'rawKeyDown' : 'keyDown', ...common, ...(text !== undefined ? { text, unmodifiedText: text } : {}) });
    await this.cdp('Input.dispatchKeyEvent', { type: 'keyUp', ...common });
  }
}

/** Chromium with the e2e tests' flags, launched without Playwright. */
export class BenchBrowser {
  private constructor(
    private readonly child: ChildProcess,
    private readonly connection: CdpConnection,
    private readonly profileDir: string,
    private readonly product: string,
  ) {}

  /** `cpus`: a taskset CPU list that Chromium and all its processes are kept to (e.g. "0"). */
  static async launch(args: readonly string[] = CHROMIUM_ARGS, cpus?: string): Promise<BenchBrowser> {
    const profileDir = mkdtempSync(join(tmpdir(), 'modus-bench-chromium-'));
    const command = cpus === undefined ? [CHROMIUM] : ['taskset', '-c', cpus, CHROMIUM];
    const child = spawn(command[0]!, [...command.slice(1), ...args, '--headless', '--hide-scrollbars', '--mute-audio', `--user-data-dir=${profileDir}`, '--remote-debugging-port=0', 'about:blank'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const endpoint = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${CHROMIUM} printed no DevTools endpoint within 30 s: ${stderr.slice(-500)}`)), 30_000);
      child.stderr!.setEncoding('utf8').on('data', (s: string) => {
        stderr += s;
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${CHROMIUM} exited with code ${code} before listening: ${stderr.slice(-500)}`));
      });
    });
    const connection = await CdpConnection.open(endpoint);
    const version = await connection.send('Browser.getVersion');
    return new BenchBrowser(child, connection, profileDir, String(version.product));
  }

  /** "Chrome/156.0…" as Chromium names itself. */
  version(): string {
    return this.product.replace(/^HeadlessChrome\//, '');
  }

  /** A page in a fresh browser context (its own cookies and storage), sized `viewport` at device pixel ratio 1. */
  async newPage(viewport: Viewport): Promise<BenchPage> {
    const { browserContextId } = (await this.connection.send('Target.createBrowserContext', { disposeOnDetach: true })) as { browserContextId: string };
    const { targetId } = (await this.connection.send('Target.createTarget', { url: 'about:blank', browserContextId })) as { targetId: string };
    const { sessionId } = (await this.connection.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const page = new BenchPage(this.connection, sessionId, targetId, browserContextId);
    await page.cdp('Page.enable');
    await page.cdp('Runtime.enable');
    await page.cdp('Emulation.setDeviceMetricsOverride', { width: viewport.width, height: viewport.height, deviceScaleFactor: 1, mobile: false });
    // Headless windows are never focused; without this the terminal's textarea would not take keys the way it does for a user.
    await page.cdp('Emulation.setFocusEmulationEnabled', { enabled: true });
    return page;
  }

  async processInfo(): Promise<ProcessInfo[]> {
    const info = (await this.connection.send('SystemInfo.getProcessInfo')) as { processInfo: ProcessInfo[] };
    return info.processInfo;
  }

  async close(): Promise<void> {
    await this.connection.send('Browser.close').catch(() => undefined);
    this.connection.close();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
        this.child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    rmSync(this.profileDir, { recursive: true, force: true });
  }
}
