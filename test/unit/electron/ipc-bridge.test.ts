// The Electron IPC bridge with the real hub and a real shell. Only Electron's
// own objects (window, web contents, frames, the IPC event) are stand-ins,
// since Electron cannot start here; they carry exactly the fields the bridge
// reads. What is checked: the sender-frame gate (E7), one hub connection per
// window, messages both ways, and the shells hung up when the window closes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindow, IpcMainEvent } from 'electron';
import { createHub, type Hub } from '../../../main/host/hub.js';
import { IpcBridge } from '../../../main/host/electron/ipc-bridge.js';
import { IPC_CHANNEL, PROTOCOL_VERSION, type HostMessage } from '../../../main/protocol.js';

interface Frame {
  processId: number;
  routingId: number;
  url: string;
}

class FakeContents extends EventEmitter {
  destroyed = false;
  readonly sent: { channel: string; msg: HostMessage }[] = [];
  readonly mainFrame: Frame;
  private waiters: { test: (m: HostMessage) => boolean; resolve: (m: HostMessage) => void }[] = [];
  constructor(readonly id: number, url = 'app://modus/index.html') {
    super();
    this.mainFrame = { processId: 7, routingId: id, url };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, msg: HostMessage): void {
    this.sent.push({ channel, msg });
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(msg)) return true;
      w.resolve(msg);
      return false;
    });
  }
  /** The first message (already sent or still to come) that passes `testFn`. */
  next(testFn: (m: HostMessage) => boolean, timeoutMs = 10_000): Promise<HostMessage> {
    const hit = this.sent.find((s) => testFn(s.msg));
    if (hit) return Promise.resolve(hit.msg);
    // The timer also keeps the event loop alive while the shell works (pty handles may be unref'd).
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms; got ${this.sent.map((x) => (x.msg.type === 'term.data' ? JSON.stringify(new TextDecoder().decode(x.msg.data)) : x.msg.type)).join(', ')}`)), timeoutMs);
      this.waiters.push({ test: testFn, resolve: (m) => { clearTimeout(timer); resolve(m); } });
    });
  }
}

class FakeWindow extends EventEmitter {
  constructor(readonly webContents: FakeContents) {
    super();
  }
}

function ipcEvent(sender: FakeContents, frame: Frame | null): IpcMainEvent {
  return { sender, senderFrame: frame } as unknown as IpcMainEvent;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Re-checks a condition until it holds (or fails after a deadline). */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let dir: string;
let hub: Hub;
const logged: string[] = [];
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'modus-ipc-bridge-'));
  hub = createHub({ host: 'electron', configDir: dir, log: (l) => logged.push(l), env: { ...process.env, SHELL: '/bin/sh' }, home: dir });
});
after(async () => {
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a trusted main frame talks to the hub: hello → welcome, a shell runs, closing the window hangs it up', async () => {
  const bridgeLog: string[] = [];
  const bridge = new IpcBridge(hub, (l) => bridgeLog.push(l));
  const contents = new FakeContents(1);
  const win = new FakeWindow(contents);
  bridge.attach(win as unknown as BrowserWindow);
  const frame = { ...contents.mainFrame }; // a distinct object for the same frame, as Electron may hand out

  bridge.onMessage(ipcEvent(contents, frame), { type: 'hello', protocol: PROTOCOL_VERSION });
  const welcome = await contents.next((m) => m.type === 'welcome');
  assert.equal(welcome.type === 'welcome' && welcome.host, 'electron');
  assert.ok(contents.sent.every((s) => s.channel === IPC_CHANNEL.toRenderer));
  assert.equal(hub.connectionCount, 1);

  bridge.onMessage(ipcEvent(contents, frame), { type: 'term.create', id: 1, options: { cols: 80, rows: 24, cwd: null } });
  const created = await contents.next((m) => m.type === 'term.created');
  const pid = created.type === 'term.created' ? created.pid : 0;
  bridge.onMessage(ipcEvent(contents, frame), { type: 'term.input', id: 1, data: 'echo $((6*7))\r' });
  const decoder = new TextDecoder();
  let output = '';
  await contents.next((m) => {
    if (m.type !== 'term.data') return false;
    output += decoder.decode(m.data, { stream: true });
    // The typed line echoes as "$((6*7))"; only the shell's answer is "42" then a newline
    // (the prompt may land before it when input outruns the shell).
    return /42\r?\n/.test(output);
  });
  assert.equal(hub.terminalCount, 1);

  win.emit('closed');
  assert.equal(hub.connectionCount, 0, 'the window took its connection with it');
  assert.equal(hub.terminalCount, 0);
  await waitFor(() => !isAlive(pid), `shell ${pid} to exit after its window closed`);
  assert.deepEqual(bridgeLog, []);
});

test('IPC from an iframe, another page, a dead frame or an unknown web contents never reaches the hub', () => {
  const bridgeLog: string[] = [];
  const bridge = new IpcBridge(hub, (l) => bridgeLog.push(l));
  const contents = new FakeContents(2);
  bridge.attach(new FakeWindow(contents) as unknown as BrowserWindow);
  const hello = { type: 'hello', protocol: PROTOCOL_VERSION };

  const iframe = { processId: 7, routingId: 999, url: 'app://modus/index.html' };
  bridge.onMessage(ipcEvent(contents, iframe), hello);
  const navigatedAway = { ...contents.mainFrame, url: 'https://evil.example/' };
  bridge.onMessage(ipcEvent(contents, navigatedAway), hello);
  bridge.onMessage(ipcEvent(contents, null), hello);
  const stranger = new FakeContents(3);
  bridge.onMessage(ipcEvent(stranger, stranger.mainFrame), hello);

  assert.equal(contents.sent.length, 0);
  assert.equal(stranger.sent.length, 0);
  assert.equal(hub.connectionCount, 0);
  assert.equal(bridgeLog.length, 4);
  assert.match(bridgeLog[0]!, /refused IPC from frame "app:\/\/modus\/index.html" \(main frame of the window: false\)/);
  assert.match(bridgeLog[1]!, /refused IPC from frame "https:\/\/evil.example\/"/);
  assert.match(bridgeLog[3]!, /not a Modus window/);
});

test('a malformed message is answered with an error and the window keeps working; a reload starts afresh', async () => {
  const bridge = new IpcBridge(hub, () => {});
  const contents = new FakeContents(4);
  bridge.attach(new FakeWindow(contents) as unknown as BrowserWindow);
  const frame = contents.mainFrame;
  const base = hub.connectionCount; // independent of what earlier tests left
  bridge.onMessage(ipcEvent(contents, frame), { type: 'term.create', id: -1, options: 'rm -rf /' });
  const error = await contents.next((m) => m.type === 'error');
  assert.match(error.type === 'error' ? error.message : '', /rejected a malformed message/);
  bridge.onMessage(ipcEvent(contents, frame), { type: 'hello', protocol: PROTOCOL_VERSION });
  await contents.next((m) => m.type === 'welcome');
  assert.equal(hub.connectionCount, base + 1);

  contents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false, url: 'app://modus/index.html' });
  assert.equal(hub.connectionCount, base, 'a reload drops the old page\'s connection');
  contents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true, url: 'app://modus/index.html#x' });
  bridge.onMessage(ipcEvent(contents, frame), { type: 'hello', protocol: PROTOCOL_VERSION });
  assert.equal(hub.connectionCount, base + 1);
  bridge.closeAll();
  assert.equal(hub.connectionCount, base);
});
