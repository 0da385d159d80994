// The reference rate: xterm.js's own `write(Uint8Array)` in the same
// Chromium, with the same size, font, scrollback, unicode version and
// renderer as a Modus pane, writing exactly the bytes a pty hands over for
// the benchmark file. The bytes are fetched into the page (1 MB per request,
// from a throw-away local server) before the clock starts, and written with
// at most a few MB pending (xterm discards input above 50 MB pending). The
// time runs until the last write callback.

import { createServer, type Server } from 'node:http';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { BenchBrowser } from './cdp.js';
import { withMainThreadLoad } from './main-thread.js';

const CHUNK_BYTES = 1 << 20;
/** Writes in flight; well below xterm's 50 MB discard limit. */
const MAX_PENDING_WRITES = 8;

const root = join(import.meta.dirname, '..', '..', '..');
const LIBRARIES: Record<string, string> = {
  '/xterm.mjs': 'node_modules/@xterm/xterm/lib/xterm.mjs',
  '/xterm.css': 'node_modules/@xterm/xterm/css/xterm.css',
  '/addon-webgl.mjs': 'node_modules/@xterm/addon-webgl/lib/addon-webgl.mjs',
  '/addon-unicode11.mjs': 'node_modules/@xterm/addon-unicode11/lib/addon-unicode11.mjs',
};

export interface TerminalShape {
  cols: number;
  rows: number;
  /** CSS px of the terminal's container. */
  width: number;
  height: number;
  fontFamily: string;
  fontSizePx: number;
  scrollback: number;
  renderer: 'webgl' | 'dom';
}

export interface BaselineResult {
  ms: number;
  renderer: 'webgl' | 'dom';
  /** Why WebGL was not used, when it was asked for and failed. */
  webglError: string | null;
  /** Share of the writing time the page's main thread was busy (0–1). */
  busy: number;
  /** CPU seconds per process kind while writing. */
  cpu: [string, number][];
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/xterm.css">
<style>html,body{margin:0;background:#1c1c1e}#terminal{position:absolute;left:0;top:0}</style></head>
<body><div id="terminal"></div></body></html>`;

/** Serves the page, xterm's files and the pty bytes in ranges: GET /data?offset=N. */
function startServer(ptyPath: string): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    void (async () => {
      if (url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
      } else if (url.pathname === '/data') {
        const offset = Number(url.searchParams.get('offset'));
        const file = await open(ptyPath);
        try {
          const buffer = Buffer.alloc(CHUNK_BYTES);
          const { bytesRead } = await file.read(buffer, 0, CHUNK_BYTES, offset);
          res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(buffer.subarray(0, bytesRead));
        } finally {
          await file.close();
        }
      } else if (LIBRARIES[url.pathname]) {
        const file = await open(join(root, LIBRARIES[url.pathname]!));
        try {
          const type = url.pathname.endsWith('.css') ? 'text/css' : 'text/javascript';
          res.writeHead(200, { 'content-type': type }).end(await file.readFile());
        } finally {
          await file.close();
        }
      } else {
        res.writeHead(404).end();
      }
    })().catch((e: Error) => res.writeHead(500).end(e.message));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

interface XtermModule {
  Terminal: new (options: Record<string, unknown>) => BaselineTerminal;
}
interface BaselineTerminal {
  open(element: unknown): void;
  loadAddon(addon: unknown): void;
  write(data: Uint8Array, callback: () => void): void;
  unicode: { activeVersion: string };
}
interface BaselineGlobals {
  document: { getElementById(id: string): { style: Record<string, string> } };
  fetch(url: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> }>;
  performance: { now(): number };
  __baselineChunks?: Uint8Array[];
}

interface WriteArgs {
  origin: string;
  maxPending: number;
  shape: TerminalShape;
  /** Chunks written before the clock starts (see WARMUP_MB). */
  warmupChunks: number;
}
interface WriteResult {
  ms: number;
  renderer: 'webgl' | 'dom';
  webglError: string | null;
}

/** Runs in the page: a fresh xterm shaped like the Modus pane writes the fetched chunks, timed to the last write callback. */
const writeAllInPage = async ({ origin, maxPending, shape, warmupChunks }: WriteArgs): Promise<WriteResult> => {
  const g = globalThis as unknown as BaselineGlobals;
  // Dynamic imports of URLs: TypeScript cannot know their types, hence the casts.
  const { Terminal } = (await import(`${origin}/xterm.mjs`)) as XtermModule;
  const { WebglAddon } = (await import(`${origin}/addon-webgl.mjs`)) as { WebglAddon: new () => unknown };
  const { Unicode11Addon } = (await import(`${origin}/addon-unicode11.mjs`)) as { Unicode11Addon: new () => unknown };

  const chunks = g.__baselineChunks!;
  const container = g.document.getElementById('terminal');
  container.style.width = `${shape.width}px`;
  container.style.height = `${shape.height}px`;
  const term = new Terminal({
    cols: shape.cols,
    rows: shape.rows,
    fontFamily: shape.fontFamily,
    fontSize: shape.fontSizePx,
    scrollback: shape.scrollback,
    allowTransparency: true,
    allowProposedApi: true,
  });
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = '11';
  term.open(container);
  let renderer: 'webgl' | 'dom' = 'dom';
  let webglError: string | null = null;
  if (shape.renderer === 'webgl') {
    try {
      term.loadAddon(new WebglAddon());
      renderer = 'webgl';
    } catch (e) {
      webglError = (e as Error).message;
    }
  }

  const writeChunks = (count: number): Promise<void> =>
    new Promise<void>((resolve) => {
      let next = 0;
      let pending = 0;
      const pump = (): void => {
        while (next < count && pending < maxPending) {
          const last = next === count - 1;
          pending++;
          term.write(chunks[next++]!, () => {
            pending--;
            if (last) resolve();
            else pump();
          });
        }
      };
      pump();
    });
  await writeChunks(Math.min(warmupChunks, chunks.length));
  const start = g.performance.now();
  await writeChunks(chunks.length);
  const ms = g.performance.now() - start;
  g.__baselineChunks = undefined;
  return { ms, renderer, webglError };
};

/**
 * `accountCpu` wraps the writing (e.g. to count CPU seconds) while the page
 * still exists. The first `warmupBytes` are written once before the clock
 * starts, so the timed run meets a warm parser and a full scrollback, as the
 * Modus terminal does after its own warm-up.
 */
export async function measureBaseline(
  browser: BenchBrowser,
  ptyPath: string,
  ptyBytes: number,
  shape: TerminalShape,
  warmupBytes: number,
  accountCpu: <T>(action: () => Promise<T>) => Promise<{ result: T; cpu: [string, number][] }>,
): Promise<BaselineResult> {
  const server = await startServer(ptyPath);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const page = await browser.newPage({ width: Math.ceil(shape.width) + 40, height: Math.ceil(shape.height) + 40 });
  try {
    await page.goto(`${origin}/`);
    // Fetching the bytes happens before the clock starts; the busy share covers only the writing.
    await page.evaluate(
      async ({ origin, total, chunk }) => {
        const g = globalThis as unknown as BaselineGlobals;
        const chunks: Uint8Array[] = [];
        for (let offset = 0; offset < total; offset += chunk) {
          chunks.push(new Uint8Array(await (await g.fetch(`${origin}/data?offset=${offset}`)).arrayBuffer()));
        }
        g.__baselineChunks = chunks;
      },
      { origin, total: ptyBytes, chunk: CHUNK_BYTES },
    );
    const {
      result: { result, busy },
      cpu,
    } = await accountCpu(() => withMainThreadLoad(page, () => page.evaluate(writeAllInPage, { origin, maxPending: MAX_PENDING_WRITES, shape, warmupChunks: Math.ceil(warmupBytes / CHUNK_BYTES) })));
    return { ...result, busy, cpu };
  } finally {
    await page.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
