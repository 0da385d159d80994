// Runs the compiled Electron main (dist/main/host/electron/main.js) in Node
// with a stand-in for the 'electron' module, because the real binary cannot
// start here. The stand-in only records calls and hands back the handlers
// main installed; the handlers themselves (app:// serving, permission and
// navigation decisions) are then exercised for real. This catches what the
// compiler cannot: import paths that do not resolve at run time, work done
// in the wrong order around `ready`, and a handler that is never installed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const mainJs = join(root, 'dist', 'main', 'host', 'electron', 'main.js');

// The stand-in: records every call in order; after `ready` it drives the
// handlers main installed and prints one JSON report on stdout.
const STAND_IN = String.raw`
import { EventEmitter } from 'node:events';
const calls = [];
const record = (name, ...args) => calls.push({ name, args: args.map((a) => (typeof a === 'function' ? '[function]' : a)) });
const handlers = {};
let ready;
const readyPromise = new Promise((r) => (ready = r));
let loaded;
const loadedPromise = new Promise((r) => (loaded = r));
class App extends EventEmitter {
  isPackaged = false;
  commandLine = { hasSwitch: (s) => (record('commandLine.hasSwitch', s), false) };
  enableSandbox() { record('app.enableSandbox'); }
  setPath(name, value) { record('app.setPath', name, value); }
  whenReady() { record('app.whenReady'); return readyPromise; }
  quit() { record('app.quit'); }
  exit(code) { record('app.exit', code); }
}
export const app = new App();
class Contents extends EventEmitter {
  id = 1; mainFrame = { processId: 1, routingId: 1, url: 'app://modus/index.html' };
  setWindowOpenHandler(h) { handlers.windowOpen = h; }
  isDestroyed() { return false; }
  send() {}
}
export class BrowserWindow extends EventEmitter {
  static windows = [];
  static getAllWindows() { return BrowserWindow.windows; }
  static getFocusedWindow() { return BrowserWindow.windows[0] ?? null; }
  constructor(options) {
    super();
    record('new BrowserWindow', options);
    this.webContents = new Contents();
    BrowserWindow.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url) { record('win.loadURL', url); loaded(); return Promise.resolve(); }
}
const session_ = {
  protocol: { handle: (scheme, h) => { record('session.protocol.handle', scheme); handlers.protocol = h; } },
  setPermissionRequestHandler: (h) => { record('session.setPermissionRequestHandler'); handlers.permissionRequest = h; },
  setPermissionCheckHandler: (h) => { record('session.setPermissionCheckHandler'); handlers.permissionCheck = h; },
  setDevicePermissionHandler: (h) => { record('session.setDevicePermissionHandler'); handlers.device = h; },
  webRequest: { onBeforeRequest: (h) => { record('webRequest.onBeforeRequest'); handlers.request = h; } },
};
export const session = { defaultSession: session_ };
export const protocol = { registerSchemesAsPrivileged: (s) => record('protocol.registerSchemesAsPrivileged', s) };
export const ipcMain = { on: (channel, h) => { record('ipcMain.on', channel); handlers.ipc = h; } };
export const Menu = {
  buildFromTemplate: (t) => ({ template: t }),
  setApplicationMenu: (m) => record('Menu.setApplicationMenu', JSON.stringify(m.template).includes('CommandOrControl+=')),
};
export const dialog = { showMessageBox: async () => ({ response: 1 }) };
export const shell = { openExternal: async (u) => record('shell.openExternal', u) };

setImmediate(async () => {
  record('ready fires');
  ready();
  // Main's whenReady continuation ends by loading the window.
  await loadedPromise;
  const report = { calls };
  const res = await handlers.protocol(new Request('app://modus/index.html'));
  report.index = { status: res.status, type: res.headers.get('content-type'), csp: res.headers.get('content-security-policy') };
  report.traversal = (await handlers.protocol(new Request('app://modus/..%2f..%2fpackage.json'))).status;
  report.permission = await new Promise((r) => handlers.permissionRequest({}, 'notifications', r, {}));
  report.permissionCheck = handlers.permissionCheck({}, 'media', 'app://modus', {});
  report.fileRequest = await new Promise((r) => handlers.request({ url: 'file:///etc/passwd' }, r));
  report.appRequest = await new Promise((r) => handlers.request({ url: 'app://modus/assets/x.js' }, r));
  report.windowOpen = handlers.windowOpen({ url: 'https://example.com/' });
  const contents = BrowserWindow.windows[0].webContents;
  const nav = { url: 'https://example.com/', isMainFrame: true, prevented: false, preventDefault() { this.prevented = true; } };
  contents.emit('will-navigate', nav);
  const self = { url: 'app://modus/index.html', isMainFrame: true, prevented: false, preventDefault() { this.prevented = true; } };
  contents.emit('will-navigate', self);
  report.navigation = { away: nav.prevented, self: self.prevented };
  process.stdout.write('REPORT ' + JSON.stringify(report) + '\n');
  process.exit(0);
});
`;

const HOOKS = String.raw`
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: process.env.MODUS_TEST_ELECTRON_STAND_IN, shortCircuit: true };
  return next(specifier, context);
}
`;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'modus-main-wiring-'));
  writeFileSync(join(dir, 'electron.mjs'), STAND_IN);
  writeFileSync(join(dir, 'hooks.mjs'), HOOKS);
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Call {
  name: string;
  args: unknown[];
}
interface Report {
  calls: Call[];
  index: { status: number; type: string; csp: string };
  traversal: number;
  permission: boolean;
  permissionCheck: boolean;
  fileRequest: { cancel: boolean };
  appRequest: { cancel: boolean };
  windowOpen: { action: string };
  navigation: { away: boolean; self: boolean };
}

test('main wires everything: sandbox and scheme before ready, then protocol, permissions, IPC, menu, a locked-down window', { skip: !existsSync(join(root, 'dist', 'renderer', 'index.html')) && 'dist/renderer is not built' }, () => {
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'register.mjs')).href, mainJs], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, MODUS_TEST_ELECTRON_STAND_IN: pathToFileURL(join(dir, 'electron.mjs')).href, MODUS_CONFIG_DIR: join(dir, 'config') },
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('REPORT '));
  assert.ok(line, `no report; exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  const report = JSON.parse(line.slice('REPORT '.length)) as Report;
  const names = report.calls.map((c) => c.name);
  const at = (name: string): number => {
    const i = names.indexOf(name);
    assert.ok(i >= 0, `${name} was never called; calls: ${names.join(', ')}`);
    return i;
  };

  // Before ready.
  const readyAt = at('ready fires');
  assert.ok(at('app.enableSandbox') < readyAt);
  assert.ok(at('protocol.registerSchemesAsPrivileged') < readyAt);
  assert.deepEqual(report.calls[at('protocol.registerSchemesAsPrivileged')]!.args[0], [
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
  const userData = report.calls[at('app.setPath')]!.args;
  assert.deepEqual(userData, ['userData', join(dir, 'config', 'electron')]);

  // After ready, before the window loads anything.
  const loadAt = at('win.loadURL');
  for (const name of ['session.protocol.handle', 'session.setPermissionRequestHandler', 'session.setPermissionCheckHandler', 'webRequest.onBeforeRequest', 'ipcMain.on', 'Menu.setApplicationMenu']) {
    const i = at(name);
    assert.ok(i > readyAt && i < loadAt, `${name} runs after ready and before the window loads`);
  }
  assert.deepEqual(report.calls[at('ipcMain.on')]!.args, ['modus:to-main']);
  assert.deepEqual(report.calls[at('Menu.setApplicationMenu')]!.args, [true], 'the menu has the zoom accelerators');
  assert.deepEqual(report.calls[loadAt]!.args, ['app://modus/index.html']);

  const options = report.calls[at('new BrowserWindow')]!.args[0] as { webPreferences: Record<string, unknown> };
  const prefs = options.webPreferences;
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.devTools, true, 'running from source is development');
  assert.match(String(prefs.preload), /dist\/main\/host\/electron\/preload\.cjs$/);
  assert.ok(existsSync(String(prefs.preload)), 'the preload path exists');

  // The installed handlers, driven for real.
  assert.equal(report.index.status, 200);
  assert.equal(report.index.type, 'text/html; charset=utf-8');
  assert.match(report.index.csp, /default-src 'none'/);
  assert.equal(report.traversal, 403);
  assert.equal(report.permission, false);
  assert.equal(report.permissionCheck, false);
  assert.deepEqual(report.fileRequest, { cancel: true });
  assert.deepEqual(report.appRequest, { cancel: false });
  assert.deepEqual(report.windowOpen, { action: 'deny' });
  assert.deepEqual(report.navigation, { away: true, self: false });
  assert.match(r.stderr, /refused window-open to "https:\/\/example\.com\/"/);
  assert.match(r.stderr, /refused navigation to "https:\/\/example\.com\/"/);
});
