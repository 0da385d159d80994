// The web host: the renderer's files over HTTP and the protocol over a
// WebSocket at /ws, both behind the token (see access.ts). Each WebSocket
// is one hub connection: JSON text frames, and term.data as binary frames.
//
// Backpressure: the socket's bufferedAmount is not watched. The pty output
// that could flood it is already bounded by flow control: the renderer
// acknowledges bytes only after xterm parsed them, so at most the high
// watermark (plus one batch) per terminal is ever in flight.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync, realpathSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { encodeHostFrame, type HostMessage } from '../../protocol.js';
import type { Hub } from '../hub.js';
import { checkAccess, cookieName, newToken, urlHost, type AccessPolicy } from './access.js';
import { resolveStatic, sendFile } from './static-files.js';

/** The same policy as renderer/index.html, used when the built file cannot be read. */
const FALLBACK_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:; worker-src 'self'";
/** A pasted file may be large; the protocol caps one input at 16 Mi characters (up to 3 bytes each, JSON-escaped). */
const MAX_FRAME_BYTES = 128 * 1024 * 1024;

export function defaultRendererDir(): string {
  // dist/main/host/web/server.js → dist/renderer
  return fileURLToPath(new URL('../../../renderer/', import.meta.url));
}

/** The CSP the renderer declares in its own index.html, so the header and the page never disagree. */
export function rendererCsp(rendererDir: string): string {
  try {
    const html = readFileSync(`${rendererDir}/index.html`, 'utf8');
    const match = /http-equiv=["']Content-Security-Policy["']\s+content=(?:"([^"]+)"|'([^']+)')/i.exec(html);
    if (match) return (match[1] ?? match[2])!;
  } catch {
    // not built; the fallback is the same policy
  }
  return FALLBACK_CSP;
}

export interface WebHostOptions {
  hub: Hub;
  /** 0 = any free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  rendererDir?: string;
  /** Default: a fresh random token. */
  token?: string;
  /** One line, no newline. Default stderr. */
  log?: (line: string) => void;
}

export interface WebHost {
  /** http://HOST:PORT/?token=TOKEN */
  url: string;
  origin: string;
  port: number;
  token: string;
  /** Stops accepting, closes every WebSocket (the hub hangs up their terminals). */
  close(): Promise<void>;
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const bindAddress = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const rendererDir = realpathOr(options.rendererDir ?? defaultRendererDir());
  const csp = `${rendererCsp(rendererDir)}; frame-ancestors 'none'`;
  const securityHeaders: Record<string, string> = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  const policy: AccessPolicy = { token, port: 0, bindAddress };
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });

  const refuse = (req: IncomingMessage, reason: string): void => {
    log(`modus serve: refused ${req.method ?? '?'} ${pathOnly(req.url)} from ${req.socket.remoteAddress ?? '?'}: ${reason}`);
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const verdict = checkAccess(req, policy, false);
    if (!verdict.ok) {
      refuse(req, verdict.reason);
      res.writeHead(403, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('403 Forbidden: open the address that `modus serve` printed; it carries the access token.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...securityHeaders, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('405 Method Not Allowed\n');
      return;
    }
    const path = new URL(req.url ?? '/', 'http://placeholder').pathname;
    const found = await resolveStatic(rendererDir, path);
    if (!found.ok) {
      const text = path === '/' ? `the renderer is not built (no index.html in ${rendererDir}); run \`npm run build\`` : found.reason;
      if (found.status === 404 && found.reason.startsWith('outside')) refuse(req, 'path outside the renderer directory');
      res.writeHead(found.status, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(`${found.status} ${found.status === 404 ? 'Not Found' : 'Bad Request'}: ${text}\n`);
      return;
    }
    const headers: Record<string, string> = { ...securityHeaders, 'Cache-Control': found.path.endsWith('.html') ? 'no-store' : 'no-cache' };
    if (verdict.tokenFromQuery) {
      headers['Set-Cookie'] = `${cookieName(policy.port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    sendFile(res, found.path, found.size, req.method === 'HEAD', headers);
  };

  const server: Server = createServer((req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      log(`modus serve: ${req.method} ${pathOnly(req.url)} failed: ${(e as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('500 Internal Server Error\n');
    });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://placeholder').pathname;
    const verdict = path === '/ws' ? checkAccess(req, policy, true) : ({ ok: false, reason: 'no WebSocket endpoint here' } as const);
    if (!verdict.ok) {
      refuse(req, verdict.reason);
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  const attach = (ws: WebSocket): void => {
    sockets.add(ws);
    const connection = options.hub.connect((msg: HostMessage) => {
      if (ws.readyState !== ws.OPEN) return;
      const frame = encodeHostFrame(msg);
      if (typeof frame === 'string') {
        ws.send(frame);
        return;
      }
      // One message in two fragments: the page receives header and bytes as one ArrayBuffer.
      ws.send(frame[0], { binary: true, fin: false });
      ws.send(frame[1], { binary: true, fin: true });
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        connection.receive({ type: 'binary frame' });
        return;
      }
      connection.receiveText(rawToString(data));
    });
    ws.on('close', () => {
      sockets.delete(ws);
      connection.close();
    });
    ws.on('error', (e) => log(`modus serve: WebSocket error: ${e.message}`));
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, bindAddress, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  policy.port = port;
  const origin = `http://${urlHost(bindAddress)}:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path.replace(/\/+$/, '');
  }
}

/** The path of a request URL without its query (the token must never reach a log). */
function pathOnly(url: string | undefined): string {
  return JSON.stringify((url ?? '').split('?')[0]!.slice(0, 200));
}

function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
