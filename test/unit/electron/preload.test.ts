// The compiled preload (dist/.../preload.cjs), run as Electron runs a
// sandboxed preload: a CommonJS function given `require`. Electron itself
// cannot start here, so 'electron' is a recording stand-in with the two
// methods the preload uses; everything asserted is the preload's own logic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { IPC_CHANNEL } from '../../../main/protocol.js';

const preloadFile = join(import.meta.dirname, '..', '..', '..', 'main', 'host', 'electron', 'preload.cjs');

type Listener = (event: unknown, ...args: unknown[]) => void;

function loadPreload() {
  const exposed = new Map<string, unknown>();
  const sent: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, Listener[]>();
  const required: string[] = [];
  const ipcRenderer = {
    send: (channel: string, ...args: unknown[]) => sent.push({ channel, args }),
    on: (channel: string, l: Listener) => {
      listeners.set(channel, [...(listeners.get(channel) ?? []), l]);
      return ipcRenderer;
    },
  };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer,
  };
  const fakeRequire = (name: string): unknown => {
    required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  const source = readFileSync(preloadFile, 'utf8');
  const wrapper = vm.runInThisContext(`(function (exports, require, module) {${source}\n})`) as (e: object, r: typeof fakeRequire, m: object) => void;
  const module = { exports: {} };
  wrapper(module.exports, fakeRequire, module);
  const emit = (channel: string, ...args: unknown[]) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: ipcRenderer, senderId: 0, ports: [] }, ...args);
  };
  return { exposed, sent, listeners, required, emit };
}

interface Bridge {
  send(msg: unknown): void;
  onMessage(listener: (...args: unknown[]) => void): void;
}

test('exposes exactly window.modus = { send, onMessage } and requires only electron', () => {
  const { exposed, required } = loadPreload();
  assert.deepEqual([...exposed.keys()], ['modus']);
  const api = exposed.get('modus') as Record<string, unknown>;
  assert.deepEqual(Object.keys(api).sort(), ['onMessage', 'send']);
  for (const v of Object.values(api)) assert.equal(typeof v, 'function');
  assert.deepEqual(required, ['electron']);
});

test('send goes to main on the protocol channel, as is', () => {
  const { exposed, sent } = loadPreload();
  const api = exposed.get('modus') as Bridge;
  const msg = { type: 'term.input', id: 1, data: 'ls\r' };
  api.send(msg);
  assert.deepEqual(sent, [{ channel: IPC_CHANNEL.toMain, args: [msg] }]);
});

test('the page gets the message only, never the IpcRendererEvent', () => {
  const { exposed, emit, listeners } = loadPreload();
  assert.deepEqual([...listeners.keys()], [IPC_CHANNEL.toRenderer], 'listens on the protocol channel only');
  const api = exposed.get('modus') as Bridge;
  const calls: unknown[][] = [];
  api.onMessage((...args) => calls.push(args));
  const msg = { type: 'term.exit', id: 1, exitCode: 0, signal: null };
  emit(IPC_CHANNEL.toRenderer, msg);
  assert.deepEqual(calls, [[msg]]);
});

test('messages before the listener wait for it; a second listener replaces the first', () => {
  const { exposed, emit } = loadPreload();
  const api = exposed.get('modus') as Bridge;
  emit(IPC_CHANNEL.toRenderer, { type: 'welcome', n: 1 });
  emit(IPC_CHANNEL.toRenderer, { type: 'term.created', n: 2 });
  const first: unknown[] = [];
  api.onMessage((m) => first.push(m));
  assert.deepEqual(first, [{ type: 'welcome', n: 1 }, { type: 'term.created', n: 2 }]);
  const second: unknown[] = [];
  api.onMessage((m) => second.push(m));
  emit(IPC_CHANNEL.toRenderer, { type: 'term.data', n: 3 });
  assert.equal(first.length, 2, 'the replaced listener hears nothing more');
  assert.deepEqual(second, [{ type: 'term.data', n: 3 }]);
});

test('onMessage with something that is not a function is a clear TypeError', () => {
  const api = loadPreload().exposed.get('modus') as { onMessage(x: unknown): void };
  assert.throws(() => api.onMessage('alert(1)'), { name: 'TypeError', message: 'modus.onMessage expects a function' });
});
