// The hub as the renderer sees it: messages in, messages out, no transport.
// No terminal is started here (see test/integration/terminals for those).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHub, type HubOptions } from '../../../main/host/hub.js';
import { checkExternalUrl } from '../../../main/host/external-url.js';
import type { HostMessage, SessionLayout } from '../../../main/protocol.js';

interface Harness {
  messages: HostMessage[];
  logs: string[];
  dir: string;
  opened: string[];
  next(type: HostMessage['type']): Promise<HostMessage>;
  done(): Promise<void>;
  connection: ReturnType<ReturnType<typeof createHub>['connect']>;
  hub: ReturnType<typeof createHub>;
}

function harness(extra: Partial<HubOptions> = {}, settingsText?: string): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'modus-hub-'));
  if (settingsText !== undefined) writeFileSync(join(dir, 'settings.json'), settingsText);
  const logs: string[] = [];
  const opened: string[] = [];
  const messages: HostMessage[] = [];
  const waiters: { type: string; resolve: (m: HostMessage) => void }[] = [];
  /** How many messages of each type next() has handed out. */
  const claimed = new Map<string, number>();
  const hub = createHub({ host: 'web', configDir: dir, log: (l) => logs.push(l), openExternal: (url) => void opened.push(url), ...extra });
  const connection = hub.connect((msg) => {
    messages.push(msg);
    const i = waiters.findIndex((w) => w.type === msg.type);
    if (i !== -1) waiters.splice(i, 1)[0]!.resolve(msg);
  });
  return {
    messages, logs, dir, opened, connection, hub,
    next(type) {
      // Messages already received count first, so a test never races the hub.
      const ofType = messages.filter((m) => m.type === type);
      const used = claimed.get(type) ?? 0;
      claimed.set(type, used + 1);
      if (ofType.length > used) return Promise.resolve(ofType[used]!);
      return new Promise((resolve) => waiters.push({ type, resolve }));
    },
    async done() {
      connection.close();
      await hub.close();
      rmSync(dir, { recursive: true });
    },
  };
}

test('malformed messages get an error reply and a log line; the connection keeps working', async () => {
  const h = harness();
  const bad: unknown[] = [null, 42, 'text', [], { type: 'nope' }, { type: 'term.input', id: 'x', data: 'ls' }, { type: 'term.resize', id: 1, cols: -3, rows: 2 }, { type: 'hello' }];
  for (const raw of bad) h.connection.receive(raw);
  h.connection.receiveText('{"type": "hello", ');
  h.connection.receiveText('');
  const errors = h.messages.filter((m) => m.type === 'error');
  assert.equal(errors.length, bad.length + 2, 'one error reply per bad message');
  for (const e of errors) {
    assert.equal(e.type === 'error' && e.ref, 'protocol');
    assert.match(e.type === 'error' ? e.message : '', /^rejected a malformed message from the renderer: /);
  }
  assert.match(JSON.stringify(errors), /unknown message type \\"nope\\"/);
  assert.match(JSON.stringify(errors), /frame is not JSON/);
  assert.equal(h.logs.filter((l) => l.includes('rejected a malformed message')).length, bad.length + 2);
  h.connection.receive({ type: 'hello', protocol: 1 });
  const welcome = await h.next('welcome');
  assert.equal(welcome.type === 'welcome' && welcome.host, 'web');
  await h.done();
});

test('a hostile object (throwing getters, cycles) is rejected, not thrown', async () => {
  const h = harness();
  const cyclic: Record<string, unknown> = { type: 'term.input', id: 1 };
  cyclic.data = cyclic;
  const evil = { get type(): string { throw new Error('boom'); } };
  assert.doesNotThrow(() => h.connection.receive(cyclic));
  assert.doesNotThrow(() => h.connection.receive(evil));
  assert.equal(h.messages.filter((m) => m.type === 'error').length, 2);
  await h.done();
});

test('welcome carries the settings, their problems with positions, the settings path and the saved session', async () => {
  const h = harness({}, '{\n  "fontSize": 14,\n  "opacity": 7\n}\n');
  const session: SessionLayout = { version: 1, activeTab: 0, tabs: [{ root: { kind: 'terminal', cwd: '/tmp', title: 'hi', scrollback: 'x' } }] };
  writeFileSync(join(h.dir, 'session.json'), JSON.stringify(session));
  h.connection.receive({ type: 'hello', protocol: 1 });
  const w = await h.next('welcome');
  assert.ok(w.type === 'welcome');
  assert.equal(w.settings.fontSize, 14);
  assert.equal(w.settings.opacity, 1);
  assert.equal(w.settingsFile, join(h.dir, 'settings.json'));
  assert.deepEqual(w.settingsProblems, [
    { file: join(h.dir, 'settings.json'), line: 3, column: 14, message: 'opacity must be a number from 0 to 1 (background opacity, 1 = opaque), got 7; using 1' },
  ]);
  assert.deepEqual(w.session, session);
  assert.ok(h.logs.some((l) => l.includes('settings.json:3:14: opacity must be')), 'problems are logged too');
  await h.done();
});

test('an old renderer is told to reload, and still welcomed', async () => {
  const h = harness();
  h.connection.receive({ type: 'hello', protocol: 0 });
  const e = await h.next('error');
  assert.match(e.type === 'error' ? e.message : '', /speaks protocol 0 and this host 1; reload/);
  await h.next('welcome');
  await h.done();
});

test('session.save writes session.json and the next welcome returns it', async () => {
  const h = harness();
  const layout: SessionLayout = {
    version: 1, activeTab: 1,
    tabs: [
      { root: { kind: 'terminal', cwd: null, title: 'a', scrollback: '' } },
      { root: { kind: 'split', direction: 'column', ratio: 0.3, first: { kind: 'terminal', cwd: '/var', title: 'b', scrollback: 'ü' }, second: { kind: 'terminal', cwd: '/etc', title: 'c', scrollback: '' } } },
    ],
  };
  h.connection.receive({ type: 'session.save', layout });
  // The save is asynchronous; a later hello answers from disk.
  for (let i = 0; i < 200; i++) {
    try {
      if (readFileSync(join(h.dir, 'session.json'), 'utf8').length > 0) break;
    } catch {
      // not yet written
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  h.connection.receive({ type: 'hello', protocol: 1 });
  const w = await h.next('welcome');
  assert.deepEqual(w.type === 'welcome' && w.session, layout);
  await h.done();
});

test('messages for terminals that never existed are errors; stray acks and closes are not', async () => {
  const h = harness();
  h.connection.receive({ type: 'term.input', id: 9, data: 'ls\r' });
  const e = await h.next('error');
  assert.ok(e.type === 'error');
  assert.equal(e.ref, 'term:9');
  assert.match(e.message, /term\.input: there is no terminal 9/);
  h.connection.receive({ type: 'term.ack', id: 9, bytes: 10 });
  h.connection.receive({ type: 'term.close', id: 9 });
  assert.equal(h.messages.filter((m) => m.type === 'error').length, 1, 'acks and closes for unknown ids are ignored quietly');
  await h.done();
});

test('link.open opens http and https only', async () => {
  const h = harness();
  for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'smb://host/share', 'vscode://x', 'not a url', 'https://user:pw@example.com/']) {
    h.connection.receive({ type: 'link.open', url });
  }
  h.connection.receive({ type: 'link.open', url: 'https://example.com/a?b=1' });
  h.connection.receive({ type: 'link.open', url: 'http://192.0.2.1/' });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(h.opened, ['https://example.com/a?b=1', 'http://192.0.2.1/']);
  const errors = h.messages.filter((m) => m.type === 'error').map((m) => (m.type === 'error' ? m.message : ''));
  assert.equal(errors.length, 6);
  assert.match(errors[0]!, /refused "javascript:alert\(1\)": scheme "javascript:" is not opened outside the app \(only http and https are\)/);
  assert.match(errors[1]!, /refused "file:\/\/\/etc\/passwd": scheme "file:"/);
  assert.match(errors[4]!, /refused "not a url": not a valid absolute URL/);
  assert.match(errors[5]!, /user name or password/);
  await h.done();
});

test('without openExternal (a browser host) link.open says so', async () => {
  const h = harness({ openExternal: undefined });
  h.connection.receive({ type: 'link.open', url: 'https://example.com/' });
  const e = await h.next('error');
  assert.match(e.type === 'error' ? e.message : '', /this host does not open links; the browser opens them itself/);
  await h.done();
});

test('a transport that throws on send does not break the hub', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'modus-hub-'));
  const logs: string[] = [];
  const hub = createHub({ host: 'electron', configDir: dir, log: (l) => logs.push(l) });
  const c = hub.connect(() => {
    throw new Error('window destroyed');
  });
  assert.doesNotThrow(() => c.receive({ type: 'nope' }));
  assert.ok(logs.some((l) => l.includes('could not send error to the renderer: window destroyed')));
  c.close();
  await hub.close();
  rmSync(dir, { recursive: true });
});

test('a settings change reaches every connection', async () => {
  const h = harness({}, '{"fontSize": 12}');
  const other: HostMessage[] = [];
  const second = h.hub.connect((m) => other.push(m));
  const keepAlive = setInterval(() => undefined, 1000);
  writeFileSync(join(h.dir, 'settings.json'), '{"fontSize": 16}');
  const changed = await h.next('settings.changed');
  assert.equal(changed.type === 'settings.changed' && changed.settings.fontSize, 16);
  for (let i = 0; i < 100 && !other.some((m) => m.type === 'settings.changed'); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(other.some((m) => m.type === 'settings.changed' && m.settings.fontSize === 16));
  clearInterval(keepAlive);
  second.close();
  await h.done();
});

test('settings.reload answers even when nothing changed', async () => {
  const h = harness({}, '{"scrollback": 500}');
  h.connection.receive({ type: 'settings.reload' });
  const m = await h.next('settings.changed');
  assert.equal(m.type === 'settings.changed' && m.settings.scrollback, 500);
  await h.done();
});

test('checkExternalUrl normalises what it lets through', () => {
  assert.deepEqual(checkExternalUrl('HTTPS://Example.COM'), { ok: true, url: 'https://example.com/' });
});
