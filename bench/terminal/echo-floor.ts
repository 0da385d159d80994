// What any web terminal pays in this browser before its own work: a plain page
// that sends each keydown over a WebSocket to a Node server that sends it
// straight back, puts the echoed character into a text node and asks for a
// frame, timed exactly like the terminals (keydown → end of the frame showing
// the character, every time taken in the page). No terminal, no pty: the
// browser's input, WebSocket and frame pipeline alone. The Modus figure minus
// this one is what Modus adds.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { BenchBrowser } from './cdp.js';

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
html,body{margin:0;background:#1c1c1e;color:#ddd;font:14px monospace}</style></head>
<body><pre id="line"></pre></body></html>`;

interface FloorGlobals {
  __floor: { keydowns: number[]; rendered: number[] };
  document: { getElementById(id: string): { textContent: string | null } | null };
  location: { host: string };
  WebSocket: new (url: string) => { send(data: string): void; onmessage: ((ev: { data: unknown }) => void) | null; onopen: (() => void) | null };
  addEventListener(type: 'keydown', listener: (ev: { key: string }) => void, capture: boolean): void;
  requestAnimationFrame(callback: () => void): number;
  performance: { now(): number };
  MessageChannel: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(value: null): void } };
}

function startEchoServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(PAGE);
  });
  const sockets = new WebSocketServer({ server, perMessageDeflate: false });
  sockets.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

/** Key → echo on screen in milliseconds, one per key, through the plain page. */
export async function measureEchoFloor(browser: BenchBrowser, keys: number, viewport: { width: number; height: number }): Promise<number[]> {
  const { server, origin } = await startEchoServer();
  const page = await browser.newPage(viewport);
  try {
    await page.goto(`${origin}/`);
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const g = globalThis as unknown as FloorGlobals;
          const state = { keydowns: [] as number[], rendered: [] as number[] };
          g.__floor = state;
          const line = g.document.getElementById('line')!;
          const socket = new g.WebSocket(`ws://${g.location.host}/`);
          const afterFrame = new g.MessageChannel();
          afterFrame.port1.onmessage = () => state.rendered.push(g.performance.now());
          socket.onmessage = (ev) => {
            line.textContent = (line.textContent ?? '').slice(-60) + String(ev.data);
            g.requestAnimationFrame(() => afterFrame.port2.postMessage(null));
          };
          g.addEventListener(
            'keydown',
            (ev) => {
              if (ev.key.length !== 1) return;
              state.keydowns.push(g.performance.now());
              socket.send(ev.key);
            },
            true,
          );
          socket.onopen = () => resolve();
        }),
    );
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    for (let i = 0; i < keys; i++) {
      await page.keyboard.press(letters[i % letters.length]!);
      await page.waitForFunction((n: number) => (globalThis as unknown as FloorGlobals).__floor.rendered.length >= n, i + 1, { timeout: 10_000, polling: 5 });
    }
    const { keydowns, rendered } = await page.evaluate(() => (globalThis as unknown as FloorGlobals).__floor);
    return rendered.map((at, i) => at - keydowns[i]!);
  } finally {
    await page.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
