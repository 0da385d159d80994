// `modus serve` as a user runs it: a real process, a real HTTP server, a real WebSocket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { TERM_DATA_FRAME, type HostMessage } from '../../../main/protocol.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');
let server: ChildProcess;
let stdout = '';
let stderr = '';
let configDir: string;
let base: string; // http://127.0.0.1:PORT
let host: string; // 127.0.0.1:PORT
let token: string;
let port: number;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw GET: the path goes out exactly as written (no URL normalisation), headers as given. */
function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const cookie = (): string => `modus_token_${port}=${token}`;

/** Resolves once stderr contains `text` (the server logs refusals there). */
async function stderrWith(text: string): Promise<void> {
  while (!stderr.includes(text)) await new Promise((r) => server.stderr!.once('data', r));
}

before(async () => {
  configDir = mkdtempSync(join(tmpdir(), 'modus-serve-'));
  server = spawn(process.execPath, [join(root, 'bin', 'modus.js'), 'serve', '--port', '0'], {
    env: { ...process.env, MODUS_CONFIG_DIR: configDir, SHELL: '/bin/sh' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  server.stdout!.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`modus serve exited with ${code}: ${stderr}`)));
    server.stdout!.on('data', (c: string) => {
      stdout += c;
      if (stdout.includes('\n')) resolve();
    });
  });
  const match = /^Modus UI: (http:\/\/(127\.0\.0\.1:(\d+)))\/\?token=([A-Za-z0-9_-]+)\n$/.exec(stdout);
  assert.ok(match, `one line in the documented format, got ${JSON.stringify(stdout)}`);
  [, base, host] = match;
  port = Number(match[3]);
  token = match[4]!;
});

after(async () => {
  if (server.exitCode === null) {
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
  }
  rmSync(configDir, { recursive: true, force: true });
});

test('prints exactly one line with a random 32-byte token and a real port', () => {
  assert.equal(stdout.split('\n').length, 2);
  assert.equal(Buffer.from(token, 'base64url').length, 32);
  assert.ok(port > 0);
  assert.equal(base, `http://127.0.0.1:${port}`);
});

test('without the token: 403, and the refusal is logged (without any token in the log)', async () => {
  const r = await get('/');
  assert.equal(r.status, 403);
  assert.match(r.body, /open the address that `modus serve` printed/);
  await stderrWith('refused GET "/" from 127.0.0.1: missing or wrong token');
  const wrong = await get(`/?token=${'A'.repeat(43)}`);
  assert.equal(wrong.status, 403);
  assert.ok(!stderr.includes(token), 'the token never reaches the log');
});

test('with the token: the page, an HttpOnly SameSite=Strict cookie, and the security headers', async (t) => {
  if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) return t.skip('the renderer is not built (npm run build)');
  const r = await get(`/?token=${token}`);
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'] as string, /^text\/html; charset=utf-8$/);
  assert.deepEqual(r.headers['set-cookie'], [`modus_token_${port}=${token}; HttpOnly; SameSite=Strict; Path=/`]);
  assert.match(r.headers['content-security-policy'] as string, /^default-src 'none'; script-src 'self'.*; frame-ancestors 'none'$/);
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.equal(r.headers['referrer-policy'], 'no-referrer');
  assert.equal(r.headers['cache-control'], 'no-store');
  assert.match(r.body, /<div id="app">/);
  // Assets ride on the cookie, with their proper type.
  const script = readdirSync(join(root, 'dist', 'renderer', 'assets')).find((f) => f.endsWith('.js'));
  if (script) {
    const asset = await get(`/assets/${script}`, { cookie: cookie() });
    assert.equal(asset.status, 200);
    assert.equal(asset.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal((await get(`/assets/${script}`)).status, 403, 'no cookie, no asset');
  }
});

test('a foreign Origin or a foreign Host name is refused even with the token', async () => {
  const foreign = await get('/', { cookie: cookie(), origin: 'http://evil.example' });
  assert.equal(foreign.status, 403);
  await stderrWith('foreign Origin "http://evil.example"');
  // DNS rebinding: evil.example resolving to 127.0.0.1 sends its own name as Host.
  const rebound = await get('/', { cookie: cookie(), host: `evil.example:${port}` });
  assert.equal(rebound.status, 403);
  await stderrWith(`Host "evil.example:${port}" is not served here`);
  assert.equal((await get('/', { cookie: cookie(), origin: base })).status === 403, false, 'our own Origin is fine');
});

test('paths outside the renderer directory are not served', async () => {
  for (const path of ['/../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/assets/../../../../etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd', '/%00', '/..\\..\\etc\\passwd']) {
    const r = await get(path, { cookie: cookie() });
    assert.ok(r.status === 404 || r.status === 400, `${path}: ${r.status}`);
    assert.ok(!r.body.includes('root:'), path);
  }
});

function connect(headers: { origin?: string; cookie?: string }, query = ''): WebSocket {
  return new WebSocket(`ws://${host}/ws${query}`, { headers: { ...(headers.cookie ? { cookie: headers.cookie } : {}) }, ...(headers.origin ? { origin: headers.origin } : {}) });
}

function refused(ws: WebSocket): Promise<number> {
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => reject(new Error('the WebSocket was accepted')));
    ws.on('error', () => undefined);
  });
}

test('the WebSocket needs the token and our Origin', async () => {
  assert.equal(await refused(connect({ origin: 'http://evil.example', cookie: cookie() })), 403);
  assert.equal(await refused(connect({ cookie: cookie() })), 403, 'no Origin at all');
  assert.equal(await refused(connect({ origin: base })), 403, 'no token');
  await stderrWith('no Origin header on a WebSocket request');
});

test('a client with the token creates a terminal, types `echo hi` and sees hi', async () => {
  const ws = connect({ origin: base }, `?token=${token}`);
  const messages: HostMessage[] = [];
  let output = '';
  let typed = false;
  const seen = new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        assert.equal(data[0], TERM_DATA_FRAME.kind);
        const id = data.readUInt32LE(1);
        const bytes = data.subarray(TERM_DATA_FRAME.headerBytes);
        output += bytes.toString('utf8');
        ws.send(JSON.stringify({ type: 'term.ack', id, bytes: bytes.length }));
        if (!typed && /[$#] $/.test(output)) {
          typed = true;
          ws.send(JSON.stringify({ type: 'term.input', id: 1, data: 'echo h""i\r' }));
        }
        if (/\r\nhi\r\n/.test(output)) resolve();
      } else {
        messages.push(JSON.parse(data.toString('utf8')) as HostMessage);
      }
    });
  });
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'hello', protocol: 1 }));
  ws.send(JSON.stringify({ type: 'term.create', id: 1, options: { cols: 80, rows: 24, cwd: null } }));
  ws.send('{"type": "nonsense"}');
  await seen;
  const welcome = messages.find((m) => m.type === 'welcome');
  assert.ok(welcome && welcome.type === 'welcome' && welcome.host === 'web');
  assert.equal(welcome.settingsFile, join(configDir, 'settings.json'));
  assert.ok(messages.some((m) => m.type === 'term.created' && m.shell === '/bin/sh'));
  assert.ok(messages.some((m) => m.type === 'error' && /unknown message type "nonsense"/.test(m.message)), 'a bad frame gets an error, the socket stays up');
  ws.close();
});

test('SIGTERM stops the server and hangs up its shells', async () => {
  const ws = connect({ origin: base, cookie: cookie() });
  const created = new Promise<number>((resolve) => {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const m = JSON.parse(data.toString('utf8')) as HostMessage;
      if (m.type === 'term.created') resolve(m.pid);
    });
  });
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'term.create', id: 7, options: { cols: 80, rows: 24, cwd: null } }));
  const shell = await created;
  // 'close', not 'exit': only then has its stderr been read to the end.
  const exited = new Promise<number | null>((r) => server.once('close', (code) => r(code)));
  server.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.match(stderr, /SIGTERM: closing terminals and stopping/);
  // The shell may take a moment to die after its hangup.
  for (;;) {
    try {
      process.kill(shell, 0);
    } catch {
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
});
