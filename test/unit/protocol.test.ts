import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateClientMessage, validateSessionLayout, parseClientFrame, encodeHostFrame, ProtocolError, TERM_DATA_FRAME } from '../../main/protocol.js';

test('a well-formed message comes back typed', () => {
  const m = validateClientMessage({ type: 'term.create', id: 3, options: { cols: 80, rows: 24, cwd: null } });
  assert.deepEqual(m, { type: 'term.create', id: 3, options: { cols: 80, rows: 24, cwd: null } });
});

test('malformed messages are rejected with a ProtocolError that says what is wrong', () => {
  const bad: [unknown, RegExp][] = [
    [null, /must be an object/],
    [[], /must be an object/],
    [{ type: 'rm -rf' }, /unknown message type "rm -rf"/],
    [{ type: 'term.input', id: 1 }, /"data" must be a string/],
    [{ type: 'term.input', id: -1, data: 'x' }, /"id" must be an integer/],
    [{ type: 'term.resize', id: 1, cols: 1e9, rows: 24 }, /"cols" must be an integer in 1..2000/],
    [{ type: 'term.ack', id: 1, bytes: 1.5 }, /"bytes" must be an integer/],
    [{ type: 'term.create', id: 1 }, /"options" must be an object/],
    [{ type: 'session.save', layout: { version: 1, tabs: [{ root: { kind: 'split', direction: 'diagonal' } }], activeTab: 0 } }, /direction/],
    [{ type: 'session.save', layout: { version: 2 } }, /version: 1/],
  ];
  for (const [raw, reason] of bad) {
    assert.throws(() => validateClientMessage(raw), (e: unknown) => e instanceof ProtocolError && reason.test(e.message), JSON.stringify(raw));
  }
});

test('a non-JSON frame is a ProtocolError, not a crash', () => {
  assert.throws(() => parseClientFrame('{"type":'), ProtocolError);
  assert.throws(() => parseClientFrame('"__proto__"'), ProtocolError);
});

test('a deeply nested layout is refused instead of blowing the stack', () => {
  let pane: unknown = { kind: 'terminal', cwd: null, title: 't', scrollback: '' };
  for (let i = 0; i < 10_000; i++) pane = { kind: 'split', direction: 'row', ratio: 0.5, first: pane, second: pane };
  assert.throws(() => validateClientMessage({ type: 'session.save', layout: { version: 1, tabs: [{ root: pane }], activeTab: 0 } }), /nested too deeply/);
});

test('term.data travels as a binary message with the id and the exact bytes, the bytes not copied', () => {
  const bytes = new Uint8Array([0xe2, 0x82, 0xac, 0x1b, 0x5b, 0x30, 0x6d, 0xff]);
  const parts = encodeHostFrame({ type: 'term.data', id: 0x01020304, data: bytes });
  assert.ok(Array.isArray(parts));
  assert.equal(parts[1], bytes, 'the output goes out as it is, after a header of its own');
  // The two fragments arrive as one message.
  const frame = Buffer.concat(parts);
  assert.equal(frame[0], TERM_DATA_FRAME.kind);
  assert.equal(frame.readUInt32LE(1), 0x01020304);
  assert.deepEqual([...frame.subarray(TERM_DATA_FRAME.headerBytes)], [...bytes]);
  assert.equal(typeof encodeHostFrame({ type: 'term.exit', id: 1, exitCode: 0, signal: null }), 'string');
});

test('term.create may ask for an SSH tab: { ssh: { host } }; null or absent is a local shell', () => {
  const ssh = validateClientMessage({ type: 'term.create', id: 4, options: { cols: 80, rows: 24, cwd: null, ssh: { host: 'h1', extra: 1 } } });
  assert.deepEqual(ssh, { type: 'term.create', id: 4, options: { cols: 80, rows: 24, cwd: null, ssh: { host: 'h1' } } });
  for (const local of [null, undefined]) {
    assert.deepEqual(validateClientMessage({ type: 'term.create', id: 5, options: { cols: 80, rows: 24, cwd: '/tmp', ssh: local } }), {
      type: 'term.create', id: 5, options: { cols: 80, rows: 24, cwd: '/tmp' },
    });
  }
  // The host's characters are the hub's to judge (destination.ts), with a message naming the host; the shape is checked here.
  assert.equal(validateClientMessage({ type: 'term.create', id: 6, options: { cols: 80, rows: 24, cwd: null, ssh: { host: '-oProxyCommand=x' } } }).type, 'term.create');
  for (const bad of ['h1', { host: 3 }, { name: 'h1' }, [], { host: 'x'.repeat(1025) }]) {
    assert.throws(
      () => validateClientMessage({ type: 'term.create', id: 7, options: { cols: 80, rows: 24, cwd: null, ssh: bad } }),
      (e: unknown) => e instanceof ProtocolError && /term\.create: "ssh" must be \{ host: string \}/.test(e.message),
      JSON.stringify(bad).slice(0, 40),
    );
  }
});

test('hosts.list has no fields; hosts.listed is JSON like any other host message', () => {
  assert.deepEqual(validateClientMessage({ type: 'hosts.list', junk: true }), { type: 'hosts.list' });
  const listed = { type: 'hosts.listed', hosts: [{ name: 'h1', detail: '198.51.100.1 · netops', source: 'inventory' }], problems: ['inv.yaml:3:5: bad'] } as const;
  assert.deepEqual(JSON.parse(encodeHostFrame({ ...listed, hosts: [...listed.hosts], problems: [...listed.problems] }) as string), listed);
});

test('session panes keep their SSH host; sessions saved before SSH tabs (no "ssh") still load, unchanged', () => {
  const pane = (extra: object) => ({ kind: 'terminal', cwd: null, title: 't', scrollback: '', ...extra });
  const layout = (root: object) => ({ version: 1, activeTab: 0, tabs: [{ root }] });
  const ssh = validateSessionLayout(layout({ kind: 'split', direction: 'row', ratio: 0.5, first: pane({ ssh: 'h1' }), second: pane({ ssh: null }) }));
  assert.deepEqual((ssh.tabs[0] as { root: unknown }).root, { kind: 'split', direction: 'row', ratio: 0.5, first: pane({ ssh: 'h1' }), second: pane({ ssh: null }) });
  const old = { version: 1, activeTab: 0, tabs: [{ root: { kind: 'terminal', cwd: '/tmp', title: 'hi', scrollback: 'x' } }] };
  assert.deepEqual(validateSessionLayout(JSON.parse(JSON.stringify(old))), old, 'an old session.json comes back as it was');
  for (const bad of [3, { host: 'h1' }, 'x'.repeat(1025)]) {
    assert.throws(() => validateSessionLayout(layout(pane({ ssh: bad }))), (e: unknown) => e instanceof ProtocolError && /"ssh" must be a host name/.test(e.message), JSON.stringify(bad).slice(0, 40));
  }
});

test('nb.settle asks to confirm or roll back a host\'s pending commit; anything else is refused', () => {
  const m = validateClientMessage({ type: 'nb.settle', doc: 1, run: 7, host: 'edge1', action: 'rollback', vars: { a: 'b' } });
  assert.ok(m.type === 'nb.settle');
  assert.deepEqual({ ...m, vars: { ...m.vars } }, { type: 'nb.settle', doc: 1, run: 7, host: 'edge1', action: 'rollback', vars: { a: 'b' } });
  assert.throws(() => validateClientMessage({ type: 'nb.settle', doc: 1, run: 7, host: 'edge1', action: 'commit', vars: {} }), /"action" must be "confirm" or "rollback"/);
  assert.throws(() => validateClientMessage({ type: 'nb.settle', doc: 1, run: 7, host: 3, action: 'confirm', vars: {} }), /"host" must be a string/);
  assert.throws(() => validateClientMessage({ type: 'nb.settle', doc: 1, run: 7, host: 'edge1', action: 'confirm' }), /"vars" must be an object/);
});

test('term.create may hold a notebook\'s session: { session: { doc, block, host } }; term.handBack names the terminal', () => {
  const held = validateClientMessage({ type: 'term.create', id: 8, options: { cols: 80, rows: 24, cwd: null, session: { doc: 2, block: 3, host: 'local', extra: 1 } } });
  assert.deepEqual(held, { type: 'term.create', id: 8, options: { cols: 80, rows: 24, cwd: null, session: { doc: 2, block: 3, host: 'local' } } });
  const bad: [unknown, RegExp][] = [
    [{ doc: 0, block: 1, host: 'local' }, /"doc" must be an integer/],
    [{ doc: 1, block: 'one', host: 'local' }, /"block" must be an integer/],
    [{ doc: 1, block: 1 }, /"host" must be a string/],
    ['s', /"session" must be \{ doc, block, host \}/],
  ];
  for (const [session, reason] of bad) {
    assert.throws(() => validateClientMessage({ type: 'term.create', id: 9, options: { cols: 80, rows: 24, cwd: null, session } }), (e: unknown) => e instanceof ProtocolError && reason.test(e.message), JSON.stringify(session));
  }
  assert.throws(
    () => validateClientMessage({ type: 'term.create', id: 9, options: { cols: 80, rows: 24, cwd: null, ssh: { host: 'h1' }, session: { doc: 1, block: 1, host: 'h1' } } }),
    /either "ssh" or "session"/,
  );
  assert.deepEqual(validateClientMessage({ type: 'term.handBack', id: 8 }), { type: 'term.handBack', id: 8 });
  assert.throws(() => validateClientMessage({ type: 'term.handBack' }), /"id" must be an integer/);
});
