import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkWebLink } from '../../../renderer/src/transport/web-link.js';

test('http and https links pass, normalised as the browser would open them', () => {
  assert.deepEqual(checkWebLink('https://example.invalid/x'), { ok: true, url: 'https://example.invalid/x' });
  assert.deepEqual(checkWebLink('HTTP://Example.INVALID'), { ok: true, url: 'http://example.invalid/' });
});

test('scripts, files and other schemes are refused with a reason naming the scheme', () => {
  for (const [url, scheme] of [
    ['javascript:alert(1)', 'javascript:'],
    ['JaVaScRiPt:alert(1)', 'javascript:'],
    ['file:///etc/passwd', 'file:'],
    ['data:text/html,<script>alert(1)</script>', 'data:'],
    ['ssh://router1', 'ssh:'],
  ] as const) {
    const checked = checkWebLink(url);
    assert.equal(checked.ok, false, url);
    if (!checked.ok) assert.match(checked.reason, new RegExp(`^Only http and https links are opened; .* is a ${scheme} link\\.$`), url);
  }
});

test('text that is not a URL, and links with credentials, are refused and say why', () => {
  assert.deepEqual(checkWebLink('example.invalid/x'), { ok: false, reason: '"example.invalid/x" is not a URL, so it was not opened.' });
  const withPassword = checkWebLink('https://admin:secret@example.invalid/');
  assert.equal(withPassword.ok, false);
  if (!withPassword.ok) assert.match(withPassword.reason, /carries a user name or password; such links are not opened/);
});

test('a very long refused link is shortened in the message', () => {
  const checked = checkWebLink(`javascript:${'a'.repeat(5000)}`);
  assert.equal(checked.ok, false);
  if (!checked.ok) assert.ok(checked.reason.length < 300, `${checked.reason.length} characters`);
});
