// The simulator's two `netconf` subsystems, netconf-connector.c (native, the
// default) and netconf-subsystem.js (the fallback), held to the same
// behaviour against a stand-in daemon: the same hello line (port from
// SSH_CONNECTION, user from USER, JSON-escaped), a refusal exits 1 with the
// daemon's words on stderr, NETCONF relayed both ways (bytes that came with
// the answer too), the client's end passed on, the daemon's close ending
// the subsystem; and the faults of a subsystem started wrongly.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeConnector } from '../../junos-sim/native-connector.js';

const NODE_SUBSYSTEM = fileURLToPath(new URL('../../junos-sim/netconf-subsystem.js', import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'modus-junos-connector-'));
const native = await nativeConnector(dir);
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const connectors: [string, string[] | null][] = [
  ['native', native ? [native] : null],
  ['node', [process.execPath, NODE_SUBSYSTEM]],
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the subsystem as sshd would (env, socket argument), feeds it `input`, resolves when it exits. */
function runSubsystem(argv: string[], socket: string, env: Record<string, string>, input: { write: string; end: boolean }): Promise<Run> & { child: ReturnType<typeof spawn> } {
  const child = spawn(argv[0]!, [...argv.slice(1), socket], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdin!.on('error', () => undefined);
  if (input.write) child.stdin!.write(input.write);
  if (input.end) child.stdin!.end();
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return Object.assign(done, { child });
}

/** A daemon that records the hello line and then does what `then` says with the connection. */
async function standInDaemon(path: string, then: (socket: Socket, hello: string) => void): Promise<{ server: Server; hellos: string[] }> {
  const hellos: string[] = [];
  const server = createServer((socket) => {
    let pending = '';
    const onData = (b: Buffer) => {
      pending += b.toString('utf8');
      const nl = pending.indexOf('\n');
      if (nl < 0) return;
      socket.off('data', onData);
      hellos.push(pending.slice(0, nl));
      then(socket, pending.slice(nl + 1));
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { server, hellos };
}

const SSH_ENV = { SSH_CONNECTION: '127.0.0.1 50522 127.0.0.1 40830', USER: 'jane "the" ünïcode\\' };

for (const [name, argv] of connectors) {
  const skip = argv ? false : 'skipped: no C compiler (cc) to build netconf-connector.c';

  test(`${name}: the hello line names the server port and the user; NETCONF goes both ways, bytes sent with the answer first; the client's end reaches the daemon, whose close ends the subsystem`, { skip }, async () => {
    const socket = join(dir, `${name}-ok.sock`);
    const received: string[] = [];
    const { server, hellos } = await standInDaemon(socket, (s, rest) => {
      s.write('{"ok":true}\n<hello/>]]>]]>');
      if (rest) received.push(rest);
      s.on('data', (b: Buffer) => {
        received.push(b.toString());
        if (received.join('').includes('<rpc/>')) s.write('<rpc-reply/>]]>]]>');
      });
      // The client's end arrives as the end of the stream: the daemon closes the session.
      s.on('end', () => s.end());
    });
    try {
      const run = runSubsystem(argv!, socket, SSH_ENV, { write: '', end: false });
      run.child.stdout!.once('data', () => run.child.stdin!.end('<rpc/>]]>]]>'));
      const r = await run;
      assert.deepEqual(JSON.parse(hellos[0]!), { port: 40830, user: SSH_ENV.USER });
      assert.equal(r.code, 0);
      assert.equal(r.stdout, '<hello/>]]>]]><rpc-reply/>]]>]]>');
      assert.equal(received.join(''), '<rpc/>]]>]]>');
      assert.equal(r.stderr, '');
    } finally {
      server.close();
    }
  });

  test(`${name}: a refusal exits 1 with the daemon's error on stderr (escapes and non-ASCII decoded), nothing on stdout`, { skip }, async () => {
    const socket = join(dir, `${name}-refuse.sock`);
    const error = 'error: netconf subsystem not enabled on "r1"\t(set system services netconf ssh) — ünïcode \\ \u0001';
    const { server } = await standInDaemon(socket, (s) => s.end(`${JSON.stringify({ ok: false, error })}\n`));
    try {
      const r = await runSubsystem(argv!, socket, SSH_ENV, { write: '', end: false });
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `${error}\n`);
    } finally {
      server.close();
    }
  });

  test(`${name}: an answer that is not the daemon's JSON is a refusal of its own; a daemon that closes without answering ends the session quietly`, { skip }, async () => {
    const bad = join(dir, `${name}-bad.sock`);
    const silent = join(dir, `${name}-silent.sock`);
    const a = await standInDaemon(bad, (s) => s.end('not json\n'));
    const b = await standInDaemon(silent, (s) => s.end());
    try {
      const r = await runSubsystem(argv!, bad, SSH_ENV, { write: '', end: false });
      assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', 'netconf-subsystem: unreadable answer from the Junos simulator\n']);
      const q = await runSubsystem(argv!, silent, SSH_ENV, { write: '', end: false });
      assert.deepEqual([q.code, q.stdout, q.stderr], [0, '', '']);
    } finally {
      a.server.close();
      b.server.close();
    }
  });

  test(`${name}: started without sshd's SSH_CONNECTION, or with no daemon at the socket, it exits 1 saying why`, { skip }, async () => {
    const noEnv = await runSubsystem(argv!, join(dir, 'none.sock'), { USER: 'root' }, { write: '', end: true });
    assert.deepEqual([noEnv.code, noEnv.stderr], [1, 'netconf-subsystem: SSH_CONNECTION does not name the server port (run me as an sshd subsystem)\n']);
    const noDaemon = await runSubsystem(argv!, join(dir, 'none.sock'), SSH_ENV, { write: '', end: true });
    assert.equal(noDaemon.code, 1);
    assert.match(noDaemon.stderr, new RegExp(`^netconf-subsystem: cannot reach the Junos simulator at ${join(dir, 'none.sock')}: .+\\n$`));
  });
}
