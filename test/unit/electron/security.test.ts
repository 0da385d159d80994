import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  checkExternalUrl,
  externalLinkPrompt,
  isAllowedExternalUrl,
  isAllowedNavigation,
  isAllowedRequest,
  isAppOrigin,
  isPermissionGranted,
  isTrustedSender,
  mimeTypeFor,
  resolveAppUrl,
} from '../../../main/host/electron/security.js';

const root = resolve('/srv/modus/dist/renderer');

test('external links: only http and https with a host and no userinfo leave the app', () => {
  const allowed = ['https://example.com', 'http://example.com/a?b=c#d', 'HTTPS://EXAMPLE.COM', 'https://a.com.evil/', 'https://[2001:db8::1]:8443/x'];
  for (const url of allowed) assert.equal(isAllowedExternalUrl(url), true, url);
  const refused = [
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'file:///etc/passwd',
    'file://server/share',
    'smb://evil.example/share',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'ms-msdt:/id PCWDiagnostic',
    'obsidian://open?vault=x',
    'mailto:someone@example.com',
    'ftp://example.com/x',
    'app://modus/index.html',
    'http://user:pass@host',
    'https://bank.example@evil.example/',
    'https://:@evil.example/',
    'https://example.com/\n/x',
    'https://example.com/\u0000',
    '//example.com/x',
    '/relative/path',
    'example.com',
    '',
    'https://',
    'https://' + 'a'.repeat(3000) + '.com/',
  ];
  for (const url of refused) assert.equal(isAllowedExternalUrl(url), false, JSON.stringify(url));
});

test('external links: the verdict says why, and the accepted form is canonical (lower-case host, punycode IDN)', () => {
  assert.deepEqual(checkExternalUrl('HTTPS://EXAMPLE.COM'), { ok: true, url: 'https://example.com/' });
  const idn = checkExternalUrl('https://аpple.com/'); // Cyrillic "а"
  assert.equal(idn.ok, true);
  assert.ok(idn.ok && idn.url.startsWith('https://xn--'), 'an IDN look-alike is shown as punycode');
  const js = checkExternalUrl('javascript:alert(1)');
  assert.equal(js.ok, false);
  assert.match(!js.ok ? js.reason : '', /scheme "javascript:" is not opened outside the app/);
  const userinfo = checkExternalUrl('http://user:pass@host');
  assert.match(!userinfo.ok ? userinfo.reason : '', /user name or password/);
  const prompt = externalLinkPrompt('https://bank.example.com.evil.example/login');
  assert.match(prompt.detail, /^Host: bank\.example\.com\.evil\.example$/m);
  assert.match(prompt.detail, /https:\/\/bank\.example\.com\.evil\.example\/login/);
});

test('navigation: only back to our own document', () => {
  for (const url of [APP_ENTRY_URL, 'app://modus/', 'app://modus/index.html?x=1#tab-2']) assert.equal(isAllowedNavigation(url), true, url);
  const refused = [
    'https://example.com/',
    'http://127.0.0.1:8080/',
    'file:///etc/passwd',
    'app://other/index.html',
    'app://modus/assets/other.html',
    'app://modus:1234/index.html',
    'app://user@modus/index.html',
    'app://modus.evil/index.html',
    'about:blank',
    'data:text/html,hi',
    'javascript:alert(1)',
    'devtools://devtools/bundled/inspector.html',
    'not a url',
    '',
  ];
  for (const url of refused) assert.equal(isAllowedNavigation(url), false, url);
});

test('app:// → file: inside the root, index.html for /, everything else refused', () => {
  assert.equal(resolveAppUrl('app://modus/', root), join(root, 'index.html'));
  assert.equal(resolveAppUrl('app://modus/index.html', root), join(root, 'index.html'));
  assert.equal(resolveAppUrl('app://modus/assets/index-abc.js?v=1#x', root), join(root, 'assets', 'index-abc.js'));
  assert.equal(resolveAppUrl('app://modus/assets/a%20b.css', root), join(root, 'assets', 'a b.css'));
  const refused = [
    'app://modus/../../etc/passwd',
    'app://modus/../../x',
    'app://modus/assets/../../../x',
    'app://modus/%2e%2e/%2e%2e/etc/passwd',
    'app://modus/%2E%2E/x',
    'app://modus/..%2f..%2fetc%2fpasswd',
    'app://modus/..%5c..%5cwindows',
    'app://modus/assets/%2e/x',
    'app://modus/a%00.js',
    'app://modus/a\\..\\..\\x',
    'app://modus/%E0%A4%A',
    'app://other/index.html',
    'app://MODUS.evil/index.html',
    'app://modus:8080/index.html',
    'app://u:p@modus/index.html',
    'file:///etc/passwd',
    'https://modus/index.html',
    'app:/modus/index.html',
    'garbage',
  ];
  for (const url of refused) assert.equal(resolveAppUrl(url, root), null, url);
});

test('IPC senders: only the main frame of our own window, showing app://modus', () => {
  const good = { present: true, isMainFrameOfWindow: true, url: 'app://modus/index.html' };
  assert.equal(isTrustedSender(good), true);
  assert.equal(isTrustedSender({ ...good, present: false }), false, 'a disposed frame');
  assert.equal(isTrustedSender({ ...good, isMainFrameOfWindow: false }), false, 'an iframe, or another window');
  for (const url of ['https://example.com/', 'app://other/', 'about:blank', 'data:text/html,x', 'file:///x', '']) {
    assert.equal(isTrustedSender({ ...good, url }), false, url);
  }
  assert.equal(isAppOrigin('app://modus'), true);
});

test('permissions: every one is refused', () => {
  for (const p of ['notifications', 'media', 'geolocation', 'clipboard-read', 'clipboard-sanitized-write', 'hid', 'serial', 'openExternal', 'fullscreen', 'unknown']) {
    assert.equal(isPermissionGranted(p), false, p);
  }
});

test('requests: our origin, data: and blob: pass; the network and file: do not', () => {
  for (const url of ['app://modus/assets/x.js', 'data:image/png;base64,AAAA', 'blob:app://modus/1234', 'devtools://devtools/x']) assert.equal(isAllowedRequest(url), true, url);
  for (const url of ['https://tracker.example/p.gif', 'http://127.0.0.1/', 'ws://127.0.0.1:1/', 'file:///etc/passwd', 'app://other/x', 'chrome://gpu', 'nonsense']) {
    assert.equal(isAllowedRequest(url), false, url);
  }
});

test('the CSP forbids inline script, eval and every remote source', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => {
    const [name, ...values] = d.trim().split(/\s+/);
    return [name, values] as const;
  }));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), ["'self'"]);
  assert.deepEqual(directives.get('img-src'), ["'self'", 'data:']);
  assert.deepEqual(directives.get('object-src'), ["'none'"]);
  assert.deepEqual(directives.get('frame-ancestors'), ["'none'"]);
  assert.ok(!CONTENT_SECURITY_POLICY.includes('unsafe-eval'));
  assert.ok(!/https?:|ws:|\*/.test(CONTENT_SECURITY_POLICY), 'no remote sources');
});

test('MIME types of what Vite emits', () => {
  assert.equal(mimeTypeFor('/x/index.html'), 'text/html; charset=utf-8');
  assert.equal(mimeTypeFor('/x/assets/index-abc.js'), 'text/javascript; charset=utf-8');
  assert.equal(mimeTypeFor('/x/assets/index-abc.CSS'), 'text/css; charset=utf-8');
  assert.equal(mimeTypeFor('/x/assets/font.woff2'), 'font/woff2');
  assert.equal(mimeTypeFor('/x/assets/icon.svg'), 'image/svg+xml');
  assert.equal(mimeTypeFor('/x/a.wasm'), 'application/wasm');
  assert.equal(mimeTypeFor('/x.d/noext'), 'application/octet-stream');
  assert.equal(mimeTypeFor('/x/evil.exe'), 'application/octet-stream');
});
