// Page-side instruments, shared by the Modus and wetty pages. Every time is
// taken in the page with performance.now(), so Playwright's round trips never
// enter a figure:
// - throughput: from the Enter keydown that starts `cat FILE; printf SENTINEL`
//   to the first frame whose cursor line shows the sentinel (it is printed
//   without a newline, so the prompt follows it on the same line);
// - latency: from each printable keydown to the end of the first frame (a
//   task posted from inside the frame runs after its rendering step) in which
//   the echoed character is on the cursor line;
// - interrupt: from the Ctrl+C keydown during a flood of output to the first
//   frame whose cursor line is a bare prompt again (every byte already in
//   flight has to be parsed first: this is what large buffers cost).
// Frames are observed through xterm's own render event, which fires inside
// the animation-frame callback that draws the rows. An earlier version kept a
// requestAnimationFrame loop running instead; measured here, that loop alone
// made Chromium hold the page's WebSocket messages back until the next frame
// (echo bytes reached the page 9.7 ms after the host sent them instead of
// 0.6 ms), so the instrument was slowing down what it measured.
//
// The functions handed to page.evaluate run in the browser: they may only use
// their argument and browser globals, never anything from this module.

import type { BenchPage } from './cdp.js';

/** Whose terminal the page holds: Modus (read through window.__modus) or wetty (window.wetty_term). */
export type PageKind = 'modus' | 'wetty';

interface BufferLineLike {
  translateToString(trimRight?: boolean): string;
}

interface XtermLike {
  buffer: { active: { baseY: number; cursorY: number; getLine(y: number): BufferLineLike | undefined } };
  onRender(listener: () => void): { dispose(): void };
}

export interface EchoSample {
  /** performance.now() in the printable key's keydown listener. */
  keydownAt: number;
  /** performance.now() in the render callback (inside an animation frame) that first drew the character. */
  frameAt: number;
  /** performance.now() in a task posted from that callback: after the frame was rendered. */
  renderedAt: number;
  /** When the last binary WebSocket frame before that arrived (Modus only; NaN elsewhere). */
  arrivedAt: number;
}

interface ProbeState {
  sentinel: string | null;
  enterAt: number | null;
  doneAt: number | null;
  latencyArmed: boolean;
  /** Index into keydowns of the first key typed on the current cursor line. */
  lineBase: number;
  keydowns: number[];
  echoes: EchoSample[];
  interruptArmed: boolean;
  interruptAt: number | null;
  promptAt: number | null;
  /** (Re)subscribes to the render event of the terminal that has focus now. */
  bind(): void;
}

interface PageGlobals {
  __modus?: { cursorLine(): string; onRender(listener: () => void): () => void };
  wetty_term?: XtermLike;
  __bench?: ProbeState;
  __benchLastBinaryAt?: number;
  WebSocket: new (url: string, protocols?: string | string[]) => WebSocketLike;
  Worker: new (url: string | URL, options?: object) => WebSocketLike;
  ArrayBuffer: typeof ArrayBuffer;
  addEventListener(type: 'keydown', listener: (ev: { key: string; ctrlKey: boolean }) => void, capture: boolean): void;
  performance: { now(): number };
  MessageChannel: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(value: null): void } };
}

interface WebSocketLike {
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
}

/**
 * Before any page script runs: notes when each binary frame reaches the
 * page's main thread (Modus sends pty bytes as binary frames), to split echo
 * latency into "bytes arrived" and "bytes on screen". Modus reads its socket
 * in a worker, which hands each binary frame over as an ArrayBuffer; a page
 * that reads its socket itself (wetty, or Modus's fallback) gets a
 * WebSocket message.
 */
export async function recordBinaryFrameArrivals(page: BenchPage): Promise<void> {
  await page.addInitScript(() => {
    const g = globalThis as unknown as PageGlobals;
    type Constructor = new (...args: unknown[]) => WebSocketLike;
    // A subclass keeps WebSocket.OPEN and friends; its listener is the first one registered, so it runs before the app's.
    const recording = (Native: Constructor, binary: (data: unknown) => boolean): Constructor =>
      class extends Native {
        constructor(...args: unknown[]) {
          super(...args);
          this.addEventListener('message', (ev) => {
            if (binary(ev.data)) g.__benchLastBinaryAt = g.performance.now();
          });
        }
      };
    g.WebSocket = recording(g.WebSocket as unknown as Constructor, (data) => typeof data !== 'string') as unknown as PageGlobals['WebSocket'];
    g.Worker = recording(g.Worker as unknown as Constructor, (data) => data instanceof g.ArrayBuffer) as unknown as PageGlobals['Worker'];
  });
}

/** Installs the keydown listener and the per-frame check; call once per page, after its terminal exists. */
export async function installProbe(page: BenchPage, kind: PageKind): Promise<void> {
  await page.evaluate((which: PageKind) => {
    const g = globalThis as unknown as PageGlobals;
    if (g.__bench) return;
    const cursorLine = (): string => {
      if (which === 'modus') return g.__modus!.cursorLine();
      const buffer = g.wetty_term!.buffer.active;
      return buffer.getLine(buffer.baseY + buffer.cursorY)?.translateToString(true) ?? '';
    };
    const state: ProbeState = {
      sentinel: null,
      enterAt: null,
      doneAt: null,
      latencyArmed: false,
      lineBase: 0,
      keydowns: [],
      echoes: [],
      interruptArmed: false,
      interruptAt: null,
      promptAt: null,
      bind: () => undefined,
    };
    g.__bench = state;
    g.addEventListener(
      'keydown',
      (ev) => {
        const now = g.performance.now();
        if (ev.key === 'Enter' && state.sentinel !== null && state.enterAt === null) state.enterAt = now;
        else if (state.interruptArmed && ev.ctrlKey && ev.key.toLowerCase() === 'c' && state.interruptAt === null) state.interruptAt = now;
        else if (state.latencyArmed && ev.key.length === 1) state.keydowns.push(now);
      },
      true,
    );
    const afterFrame = new g.MessageChannel();
    let unrendered: EchoSample[] = [];
    afterFrame.port1.onmessage = () => {
      const now = g.performance.now();
      for (const sample of unrendered) sample.renderedAt = now;
      unrendered = [];
    };
    const onRender = (): void => {
      const now = g.performance.now();
      if (state.sentinel !== null && state.enterAt !== null && state.doneAt === null && cursorLine().includes(state.sentinel)) state.doneAt = now;
      if (state.interruptAt !== null && state.promptAt === null && /^\$ $/.test(cursorLine())) state.promptAt = now;
      if (state.latencyArmed && state.echoes.length < state.keydowns.length) {
        const visible = Math.min(state.lineBase + cursorLine().length, state.keydowns.length);
        const fresh: EchoSample[] = [];
        while (state.echoes.length < visible) {
          const sample = { keydownAt: state.keydowns[state.echoes.length]!, frameAt: now, renderedAt: Number.NaN, arrivedAt: g.__benchLastBinaryAt ?? Number.NaN };
          state.echoes.push(sample);
          fresh.push(sample);
        }
        if (fresh.length > 0) {
          unrendered.push(...fresh);
          afterFrame.port2.postMessage(null);
        }
      }
    };
    // Modus: the focused pane's terminal, so the measuring functions re-bind when a tab was opened since.
    let unsubscribe = (): void => undefined;
    state.bind = () => {
      unsubscribe();
      if (which === 'modus') unsubscribe = g.__modus!.onRender(onRender);
      else {
        const subscription = g.wetty_term!.onRender(onRender);
        unsubscribe = () => subscription.dispose();
      }
    };
    state.bind();
  }, kind);
}

/**
 * Types `cat FILE; printf …SENTINEL` and presses Enter; resolves with the
 * page-side milliseconds from that Enter to the frame showing the sentinel.
 */
export async function timeCat(page: BenchPage, file: string, timeoutMs: number): Promise<number> {
  const nonce = Math.random().toString(36).slice(2, 10);
  await page.evaluate((sentinel: string) => {
    const state = (globalThis as unknown as PageGlobals).__bench!;
    state.bind();
    state.sentinel = sentinel;
    state.enterAt = null;
    state.doneAt = null;
  }, `BENCH-DONE-${nonce}`);
  // The sentinel is assembled by printf, so the typed command line never contains it.
  await page.keyboard.type(`cat '${file}'; printf 'BENCH-DONE-%s' ${nonce}`);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__bench!.doneAt !== null, undefined, { timeout: timeoutMs, polling: 250 });
  const { enterAt, doneAt } = await page.evaluate(() => {
    const state = (globalThis as unknown as PageGlobals).__bench!;
    state.sentinel = null;
    return { enterAt: state.enterAt!, doneAt: state.doneAt! };
  });
  return doneAt - enterAt;
}

/**
 * Runs `command` (which floods the terminal), lets it run for `floodMs`, then
 * presses Ctrl+C; resolves with the page-side milliseconds from that keydown
 * to the first frame showing the short prompt (`$ `) again.
 */
export async function timeInterrupt(page: BenchPage, command: string, floodMs: number, timeoutMs: number): Promise<number> {
  await page.evaluate(() => {
    const state = (globalThis as unknown as PageGlobals).__bench!;
    state.bind();
    state.interruptAt = null;
    state.promptAt = null;
    state.interruptArmed = true;
  });
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(floodMs);
  await page.keyboard.press('Control+C');
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__bench!.promptAt !== null, undefined, { timeout: timeoutMs, polling: 50 });
  const { interruptAt, promptAt } = await page.evaluate(() => {
    const state = (globalThis as unknown as PageGlobals).__bench!;
    state.interruptArmed = false;
    return { interruptAt: state.interruptAt!, promptAt: state.promptAt! };
  });
  return promptAt - interruptAt;
}

/** Waits (polling in the page) until the cursor line matches `test`. */
export async function waitForCursorLine(page: BenchPage, kind: PageKind, test: RegExp, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(
    ([which, source]) => {
      const g = globalThis as unknown as PageGlobals;
      let line: string;
      if (which === 'modus') line = g.__modus!.cursorLine();
      else {
        const buffer = g.wetty_term!.buffer.active;
        line = buffer.getLine(buffer.baseY + buffer.cursorY)?.translateToString(true) ?? '';
      }
      return new RegExp(source).test(line);
    },
    [kind, test.source] as const,
    { timeout: timeoutMs, polling: 50 },
  );
}

/**
 * Types `keys` printable characters into a terminal that echoes them on an
 * empty cursor line (`cat` waiting for input), one at a time, each after the
 * previous one is on screen; a line is ended with Enter every `perLine` keys
 * so it never wraps.
 */
export async function measureEcho(page: BenchPage, kind: PageKind, keys: number, perLine: number): Promise<EchoSample[]> {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  await page.evaluate(() => {
    const state = (globalThis as unknown as PageGlobals).__bench!;
    state.bind();
    state.keydowns = [];
    state.echoes = [];
    state.lineBase = 0;
    state.latencyArmed = true;
  });
  for (let i = 0; i < keys; i++) {
    if (i > 0 && i % perLine === 0) {
      await page.keyboard.press('Enter');
      await waitForCursorLine(page, kind, /^$/);
      await page.evaluate((base: number) => {
        (globalThis as unknown as PageGlobals).__bench!.lineBase = base;
      }, i);
    }
    await page.keyboard.press(letters[i % letters.length]!);
    await page.waitForFunction(
      (n: number) => {
        const echoes = (globalThis as unknown as PageGlobals).__bench!.echoes;
        return echoes.length >= n && !Number.isNaN(echoes[n - 1]!.renderedAt);
      },
      i + 1,
      // Polled on a timer: polling on animation frames would bring back the frame loop the probe avoids.
      { timeout: 10_000, polling: 5 },
    );
  }
  return page.evaluate(() => {
    const state = (globalThis as unknown as PageGlobals).__bench!;
    state.latencyArmed = false;
    return state.echoes;
  });
}
