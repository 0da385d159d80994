// The UI bench's instruments inside the page, installed before the page's
// own scripts (in Modus and in the floor page alike). Every time is taken in
// the page, on performance.now()'s clock, so the bench's DevTools round trips
// never enter a figure:
// - a key's latency runs from its KeyboardEvent.timeStamp (when the browser
//   received the key: time it waited for a busy main thread counts, as a user
//   feels it) to the end of the frame whose editor lines first show the
//   character (a MutationObserver on Monaco's `.view-lines`, then the end of
//   that frame, below);
// - an appearance (the editor's text, code lenses, statuses, the Open prompt)
//   is the end of the first frame in which its selector matches a visible
//   element (with text, where asked);
// - host messages: when each nb.opened / nb.analysis reached the page's main
//   thread, and how many live output frames (nb.output) did.
//
// "End of the frame": a task posted from inside a frame runs after that
// frame's rendering step (the terminal bench's probes.ts does the same). To
// know whether a mutation happened inside a frame (Monaco draws in animation
// frame callbacks) or in an ordinary task (then the next frame shows it),
// requestAnimationFrame is wrapped: the first callback of each frame marks
// the frame open until the posted task runs. No animation-frame loop is
// kept: the probe asks for a frame only when something waits for one.
//
// The functions handed to the page run there: they may use only their
// argument and browser globals, never anything from this module.

import type { BenchPage } from '../terminal/cdp.js';

export interface KeySample {
  key: string;
  /** False for keys typed to make the line unique (its prefix): they are not figures. */
  measured: boolean;
  /** KeyboardEvent.timeStamp: the browser got the key (same clock as performance.now()). */
  sentAt: number;
  /** performance.now() in the page's keydown listener: its main thread got to the key. */
  handledAt: number;
  /** performance.now() in the mutation callback that first saw the character in the editor's lines (null: never seen). */
  domAt: number | null;
  /** End of the frame that showed it (null: never shown). */
  shownAt: number | null;
}

export interface Appearance {
  domAt: number | null;
  shownAt: number | null;
}

export interface HostMessageTimes {
  /** performance.now() when each nb.opened reached the page's main thread. */
  opened: number[];
  /** The same for each nb.analysis. */
  analyses: number[];
  /** Live output frames (nb.output) and their bytes. */
  outputFrames: number;
  outputBytes: number;
}

/** What the bench waits for; `text`: the element must hold text (Monaco draws empty lines first). */
export interface AppearanceSpec {
  selector: string;
  text: boolean;
}

interface ElementLike {
  textContent: string | null;
  readonly children: ArrayLike<ElementLike>;
  getClientRects(): { length: number };
}

interface KeyEventLike {
  key: string;
  timeStamp: number;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

interface ObserverLike {
  observe(target: unknown, options: Record<string, unknown>): void;
  disconnect(): void;
}

interface WorkerLike {
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
}

interface ProbeState {
  afterFrame(callback: (now: number) => void): void;
  /** Set by the bench before it presses a key that starts something (Enter in an Open prompt); that keydown's timeStamp lands in keyAt. */
  armedKey: string | null;
  keyAt: number | null;
  appearances: Record<string, AppearanceSpec & Appearance>;
  watch(specs: Record<string, AppearanceSpec>): void;
  messages: HostMessageTimes;
  typing: {
    armed: boolean;
    measuring: boolean;
    /** What the line being typed should read. */
    expected: string;
    /** Index into samples of the first key of that line. */
    lineStart: number;
    samples: KeySample[];
  };
  beginLine(): void;
  stopTyping(): void;
}

interface ProbeGlobals {
  __uiProbe?: ProbeState;
  __uiProbeWatchAtLoad?: Record<string, AppearanceSpec>;
  requestAnimationFrame(callback: (time: number) => void): number;
  MessageChannel: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(value: null): void } };
  MutationObserver: new (callback: () => void) => ObserverLike;
  Worker: new (...args: unknown[]) => WorkerLike;
  ArrayBuffer: typeof ArrayBuffer;
  DataView: typeof DataView;
  document: {
    querySelector(selector: string): ElementLike | null;
    querySelectorAll(selector: string): ArrayLike<ElementLike>;
  };
  addEventListener(type: 'keydown', listener: (ev: KeyEventLike) => void, capture: boolean): void;
  performance: { now(): number };
}

/**
 * Installs the probe in every document the page loads from now on (call
 * before goto). `watchAtLoad`: appearances awaited from the document's start
 * (a page that opens a notebook by itself), timed from navigation start.
 */
export async function installUiProbe(page: BenchPage, watchAtLoad: Record<string, AppearanceSpec> = {}): Promise<void> {
  await page.cdp('Page.addScriptToEvaluateOnNewDocument', { source: `globalThis.__uiProbeWatchAtLoad = ${JSON.stringify(watchAtLoad)};` });
  await page.addInitScript(() => {
    const g = globalThis as unknown as ProbeGlobals;
    const nativeFrame = g.requestAnimationFrame.bind(g);
    const frameEnd = new g.MessageChannel();
    let frameOpen = false;
    let waiting: ((now: number) => void)[] = [];
    frameEnd.port1.onmessage = () => {
      frameOpen = false;
      const now = g.performance.now();
      const callbacks = waiting;
      waiting = [];
      for (const callback of callbacks) callback(now);
    };
    const openFrame = (): void => {
      if (frameOpen) return;
      frameOpen = true;
      frameEnd.port2.postMessage(null);
    };
    g.requestAnimationFrame = (callback) =>
      nativeFrame((time) => {
        openFrame();
        callback(time);
      });
    const afterFrame = (callback: (now: number) => void): void => {
      if (frameOpen) waiting.push(callback);
      else
        nativeFrame(() => {
          openFrame();
          waiting.push(callback);
        });
    };
    const visible = (el: ElementLike): boolean => el.getClientRects().length > 0;

    const state: ProbeState = {
      afterFrame,
      armedKey: null,
      keyAt: null,
      appearances: {},
      watch: () => undefined,
      messages: { opened: [], analyses: [], outputFrames: 0, outputBytes: 0 },
      typing: { armed: false, measuring: false, expected: '', lineStart: 0, samples: [] },
      beginLine: () => undefined,
      stopTyping: () => undefined,
    };
    g.__uiProbe = state;

    // Appearances: one observer over the whole document while something is awaited.
    let appearanceObserver: ObserverLike | null = null;
    const checkAppearances = (): void => {
      const now = g.performance.now();
      let pending = 0;
      for (const a of Object.values(state.appearances)) {
        if (a.domAt !== null) continue;
        let found = false;
        const matches = g.document.querySelectorAll(a.selector);
        for (let i = 0; i < matches.length && !found; i++) {
          const el = matches[i]!;
          found = visible(el) && (!a.text || (el.textContent ?? '').trim() !== '');
        }
        if (!found) {
          pending++;
          continue;
        }
        a.domAt = now;
        afterFrame((shown) => (a.shownAt = shown));
      }
      if (pending === 0) {
        appearanceObserver?.disconnect();
        appearanceObserver = null;
      }
    };
    state.watch = (specs) => {
      for (const [name, spec] of Object.entries(specs)) state.appearances[name] = { ...spec, domAt: null, shownAt: null };
      if (!appearanceObserver) {
        appearanceObserver = new g.MutationObserver(checkAppearances);
        // The document itself: at load its element may not exist yet.
        appearanceObserver.observe(g.document, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['hidden', 'class', 'style'] });
      }
      checkAppearances();
    };

    // Typing: the line being typed is found among the editor's drawn lines by its text.
    let lineObserver: ObserverLike | null = null;
    const checkLine = (): void => {
      const t = state.typing;
      if (!t.armed || t.samples.length === t.lineStart) return;
      const editors = g.document.querySelectorAll('.monaco-editor .view-lines');
      let shown = 0;
      for (let e = 0; e < editors.length; e++) {
        const lines = editors[e]!.children;
        for (let i = 0; i < lines.length; i++) {
          const text = (lines[i]!.textContent ?? '').replace(/\u00a0/g, ' ');
          if (text.length > shown && t.expected.startsWith(text)) shown = text.length;
        }
      }
      const now = g.performance.now();
      for (let i = t.lineStart; i < Math.min(t.samples.length, t.lineStart + shown); i++) {
        const sample = t.samples[i]!;
        if (sample.domAt !== null) continue;
        sample.domAt = now;
        afterFrame((at) => (sample.shownAt = at));
      }
    };
    state.beginLine = () => {
      const t = state.typing;
      t.armed = true;
      t.expected = '';
      t.lineStart = t.samples.length;
      lineObserver?.disconnect();
      lineObserver = new g.MutationObserver(checkLine);
      const editors = g.document.querySelectorAll('.monaco-editor .view-lines');
      for (let e = 0; e < editors.length; e++) if (visible(editors[e]!)) lineObserver.observe(editors[e], { childList: true, subtree: true, characterData: true });
    };
    state.stopTyping = () => {
      state.typing.armed = false;
      lineObserver?.disconnect();
      lineObserver = null;
    };

    g.addEventListener(
      'keydown',
      (ev) => {
        const now = g.performance.now();
        if (state.armedKey !== null && ev.key === state.armedKey) {
          state.armedKey = null;
          state.keyAt = ev.timeStamp;
        }
        const t = state.typing;
        if (!t.armed || ev.key.length !== 1 || ev.ctrlKey || ev.altKey || ev.metaKey) return;
        t.samples.push({ key: ev.key, measured: t.measuring, sentAt: ev.timeStamp, handledAt: now, domAt: null, shownAt: null });
        t.expected += ev.key;
      },
      true,
    );

    // Host messages: the socket is read in a worker that posts JSON text and binary frames to the page.
    type WorkerConstructor = new (...args: unknown[]) => WorkerLike;
    const NativeWorker = g.Worker as unknown as WorkerConstructor;
    g.Worker = class extends NativeWorker {
      constructor(...args: unknown[]) {
        super(...args);
        // Registered first, so it runs before the page's own listener.
        this.addEventListener('message', (ev) => {
          const data = ev.data;
          const m = state.messages;
          if (typeof data === 'string') {
            const head = data.slice(0, 40);
            if (head.includes('"type":"nb.analysis"')) m.analyses.push(g.performance.now());
            else if (head.includes('"type":"nb.opened"')) m.opened.push(g.performance.now());
          } else if (data instanceof g.ArrayBuffer && data.byteLength >= 5 && new g.DataView(data).getUint8(0) === 2) {
            m.outputFrames++;
            m.outputBytes += data.byteLength - 5;
          }
        });
      }
    } as unknown as ProbeGlobals['Worker'];

    if (Object.keys(g.__uiProbeWatchAtLoad ?? {}).length > 0) state.watch(g.__uiProbeWatchAtLoad!);
  });
}

/** Starts waiting for these appearances (their times are read with readAppearances). */
export async function watchAppearances(page: BenchPage, specs: Record<string, AppearanceSpec>): Promise<void> {
  await page.evaluate((s: Record<string, AppearanceSpec>) => (globalThis as unknown as ProbeGlobals).__uiProbe!.watch(s), specs);
}

export async function readAppearances(page: BenchPage): Promise<Record<string, Appearance>> {
  return page.evaluate(() => {
    const all = (globalThis as unknown as ProbeGlobals).__uiProbe!.appearances;
    return Object.fromEntries(Object.entries(all).map(([name, a]) => [name, { domAt: a.domAt, shownAt: a.shownAt }]));
  });
}

/** Waits until `name` has appeared and its frame has ended; throws after `timeoutMs`. */
export async function waitForAppearance(page: BenchPage, name: string, timeoutMs: number): Promise<void> {
  await page.waitForFunction((n: string) => (globalThis as unknown as ProbeGlobals).__uiProbe!.appearances[n]?.shownAt !== null, name, { timeout: timeoutMs, polling: 5 });
}

/** The next keydown of `key` (KeyboardEvent.key: "Enter", "M" for Ctrl+Shift+M) starts something: its timeStamp is kept. */
export async function armKey(page: BenchPage, key: string): Promise<void> {
  await page.evaluate((k: string) => {
    const probe = (globalThis as unknown as ProbeGlobals).__uiProbe!;
    probe.armedKey = k;
    probe.keyAt = null;
  }, key);
}

/** The timeStamp of the armed key's keydown. */
export async function armedKeyAt(page: BenchPage): Promise<number> {
  const at = await page.evaluate(() => (globalThis as unknown as ProbeGlobals).__uiProbe!.keyAt);
  if (at === null) throw new Error('the probe saw no keydown of the armed key');
  return at;
}

export async function hostMessageTimes(page: BenchPage): Promise<HostMessageTimes> {
  return page.evaluate(() => (globalThis as unknown as ProbeGlobals).__uiProbe!.messages);
}

/** Starts a new line of typing: the next printable keys are matched against the editor's lines from here. */
export async function beginLine(page: BenchPage, measuring: boolean): Promise<void> {
  await page.evaluate((m: boolean) => {
    const probe = (globalThis as unknown as ProbeGlobals).__uiProbe!;
    probe.typing.measuring = m;
    probe.beginLine();
  }, measuring);
}

/** From now on the keys typed are figures (the line's prefix was not). */
export async function startMeasuring(page: BenchPage): Promise<void> {
  await page.evaluate(() => {
    (globalThis as unknown as ProbeGlobals).__uiProbe!.typing.measuring = true;
  });
}

/** Waits until every key typed on the current line is on screen. */
export async function waitForLineShown(page: BenchPage, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    () => {
      const t = (globalThis as unknown as ProbeGlobals).__uiProbe!.typing;
      return t.samples.slice(t.lineStart).every((s) => s.shownAt !== null);
    },
    undefined,
    { timeout: timeoutMs, polling: 5 },
  );
}

/** Stops typing and returns every key typed since the page loaded (prefixes included; see `measured`), then forgets them. */
export async function takeKeySamples(page: BenchPage): Promise<KeySample[]> {
  return page.evaluate(() => {
    const probe = (globalThis as unknown as ProbeGlobals).__uiProbe!;
    probe.stopTyping();
    const samples = probe.typing.samples;
    probe.typing.samples = [];
    probe.typing.lineStart = 0;
    return samples;
  });
}
