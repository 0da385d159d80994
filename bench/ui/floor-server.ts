// The floor page (bench/ui/floor/), built with Vite from its source on every
// run (so it always uses the monaco-editor installed now) and served by a
// small HTTP server of the bench's own, with the notebook at ./notebook.md.

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { build } from 'vite';

const REPO = join(import.meta.dirname, '..', '..', '..');
const SOURCE = join(REPO, 'bench', 'ui', 'floor');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.md': 'text/markdown; charset=utf-8',
};

/** Builds the floor page into `outDir`. */
export async function buildFloorPage(outDir: string): Promise<void> {
  await build({
    root: SOURCE,
    base: './',
    configFile: false,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8192 },
  });
}

export interface FloorServer {
  origin: string;
  /** The notebook served as ./notebook.md from now on. */
  setNotebook(path: string): void;
  stop(): Promise<void>;
}

export async function serveFloorPage(dir: string): Promise<FloorServer> {
  let notebook: string | null = null;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://floor').pathname;
    const file = path === '/notebook.md' ? notebook : normalize(join(dir, path === '/' ? 'index.html' : decodeURIComponent(path)));
    if (file === null || (file !== notebook && !file.startsWith(dir + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    // No caching: each page of each round loads Monaco as a first visit does (Modus's pages do too, each in a fresh browser context).
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setNotebook: (path) => (notebook = path),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
