// The app:// handler with real files on disk (it is fetch-API code, so it
// runs in Node exactly as in Electron's protocol.handle).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveAppRequest } from '../../../main/host/electron/app-protocol.js';
import { CONTENT_SECURITY_POLICY } from '../../../main/host/electron/security.js';

let base: string;
let root: string;

before(() => {
  base = mkdtempSync(join(tmpdir(), 'modus-app-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Modus</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log("modus")');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(base, 'secret.txt'), 'SECRET');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'escape.txt'));
  symlinkSync(base, join(root, 'up'));
});

after(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET'): Promise<Response> => serveAppRequest(new Request(url, { method }), root);

test('serves the UI with its MIME type, the CSP and nosniff', async () => {
  const res = await get('app://modus/');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(res.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(await res.text(), '<!doctype html><title>Modus</title>');

  const js = await get('app://modus/assets/index-abc.js');
  assert.equal(js.status, 200);
  assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(await js.text(), 'console.log("modus")');
  assert.equal((await get('app://modus/assets/index-abc.css')).headers.get('content-type'), 'text/css; charset=utf-8');
});

test('HEAD answers without a body; other methods get 405', async () => {
  const head = await get('app://modus/index.html', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-length'), String('<!doctype html><title>Modus</title>'.length));
  assert.equal(await head.text(), '');
  assert.equal((await get('app://modus/index.html', 'POST')).status, 405);
});

test('traversal, other hosts and symlinks out of the root are refused; nothing outside is ever read', async () => {
  for (const url of [
    'app://modus/..%2fsecret.txt',
    'app://modus/%2e%2e%2fsecret.txt',
    'app://modus/assets/..%2f..%2fsecret.txt',
    'app://other/index.html',
    'app://modus/assets/escape.txt',
    'app://modus/up/secret.txt',
  ]) {
    const res = await get(url);
    assert.equal(res.status, 403, url);
    const body = await res.text();
    assert.ok(!body.includes('SECRET'), url);
    assert.equal(res.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY, 'errors carry the CSP too');
  }
  // Request() already folds literal dot segments, as Chromium does: the path stays inside the root.
  const folded = await get('app://modus/../../secret.txt');
  assert.equal(folded.status, 404);
  assert.ok(!(await folded.text()).includes('SECRET'));
});

test('missing files and directories are 404', async () => {
  assert.equal((await get('app://modus/nope.js')).status, 404);
  assert.equal((await get('app://modus/assets/')).status, 404);
  assert.equal((await get('app://modus/assets')).status, 404);
});
