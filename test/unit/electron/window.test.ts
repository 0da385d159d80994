import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mainWindowOptions, secureWebPreferences } from '../../../main/host/electron/window.js';
import { acceleratorsOf, buildMenuTemplate, nextZoomLevel, ZOOM_MAX, ZOOM_MIN, type MenuActions, type ZoomAction } from '../../../main/host/electron/menu.js';
import type { MenuItemConstructorOptions } from 'electron';
import { DEFAULT_KEYBINDINGS } from '../../../main/settings/defaults.js';

test('web preferences: isolated, sandboxed, no Node, web security on, no webview', () => {
  const prefs = secureWebPreferences('/app/preload.cjs', { devTools: false });
  assert.equal(prefs.preload, '/app/preload.cjs');
  assert.equal(prefs.contextIsolation, true);
  assert.equal(prefs.sandbox, true);
  assert.equal(prefs.nodeIntegration, false);
  assert.equal(prefs.nodeIntegrationInWorker, false);
  assert.equal(prefs.nodeIntegrationInSubFrames, false);
  assert.equal(prefs.webSecurity, true);
  assert.equal(prefs.allowRunningInsecureContent, false);
  assert.equal(prefs.experimentalFeatures, false);
  assert.equal(prefs.webviewTag, false);
  assert.equal(prefs.devTools, false);
  assert.equal('enableBlinkFeatures' in prefs, false);
  assert.equal(secureWebPreferences('/p', { devTools: true }).devTools, true);
  assert.equal(mainWindowOptions('/p', { devTools: false }).webPreferences?.sandbox, true);
});

function template(isDev: boolean, isMac: boolean) {
  const calls: string[] = [];
  const actions: MenuActions = {
    zoom: (a: ZoomAction) => calls.push(`zoom:${a}`),
    toggleDevTools: () => calls.push('devtools'),
    reload: () => calls.push('reload'),
    quit: () => calls.push('quit'),
  };
  return { items: buildMenuTemplate({ isDev, isMac, actions, chords: DEFAULT_KEYBINDINGS }), calls };
}

function find(items: MenuItemConstructorOptions[], accelerator: string): MenuItemConstructorOptions | undefined {
  for (const item of items) {
    if (item.accelerator === accelerator) return item;
    if (Array.isArray(item.submenu)) {
      const hit = find(item.submenu, accelerator);
      if (hit) return hit;
    }
  }
  return undefined;
}

test('menu: Zoom In / Zoom Out / Actual Size zoom the window; on Linux the keys stay with the renderer, on macOS Cmd grabs them', () => {
  const linux = template(false, false);
  const click = (items: MenuItemConstructorOptions[], acc: string) => (find(items, acc)?.click as (() => void) | undefined)?.();
  click(linux.items, 'CommandOrControl+=');
  click(linux.items, 'CommandOrControl+-');
  click(linux.items, 'CommandOrControl+0');
  assert.deepEqual(linux.calls, ['zoom:in', 'zoom:out', 'zoom:reset']);
  // The renderer binds Ctrl+= / Ctrl+- / Ctrl+0 (remappable): the menu must not grab them too.
  const grabbedOnLinux = acceleratorsOf(linux.items);
  for (const key of ['CommandOrControl+=', 'CommandOrControl+-', 'CommandOrControl+0']) assert.ok(!grabbedOnLinux.includes(key), key);
  const grabbedOnMac = acceleratorsOf(template(false, true).items);
  for (const key of ['CommandOrControl+=', 'CommandOrControl+Plus', 'CommandOrControl+-', 'CommandOrControl+0']) assert.ok(grabbedOnMac.includes(key), key);
});

test('menu: developer tools and reload only in development', () => {
  const prod = acceleratorsOf(template(false, false).items);
  assert.ok(!prod.includes('Ctrl+Shift+I'), 'no devtools in a package');
  assert.ok(!prod.includes('CommandOrControl+Shift+R'));
  const dev = template(true, false);
  assert.ok(acceleratorsOf(dev.items).includes('Ctrl+Shift+I'));
  (find(dev.items, 'Ctrl+Shift+I')?.click as () => void)();
  assert.deepEqual(dev.calls, ['devtools']);
});

test('menu: on Linux and Windows no accelerator takes a key the shell needs', () => {
  const { items } = template(true, false);
  const taken = acceleratorsOf(items).map((a) => a.replace('CommandOrControl', 'Ctrl'));
  for (const key of ['Ctrl+C', 'Ctrl+V', 'Ctrl+X', 'Ctrl+Z', 'Ctrl+A', 'Ctrl+W', 'Ctrl+Q', 'Ctrl+R', 'Ctrl+D', 'Ctrl+L', 'Ctrl+T']) {
    assert.ok(!taken.includes(key), key);
  }
  for (const item of items) assert.ok(item.role !== 'editMenu' && item.role !== 'windowMenu' && item.role !== 'fileMenu', `role ${item.role}`);
});

test('zoom levels step by 0.5, clamp, and reset to 0', () => {
  assert.equal(nextZoomLevel(0, 'in'), 0.5);
  assert.equal(nextZoomLevel(0, 'out'), -0.5);
  assert.equal(nextZoomLevel(2.5, 'reset'), 0);
  assert.equal(nextZoomLevel(ZOOM_MAX, 'in'), ZOOM_MAX);
  assert.equal(nextZoomLevel(ZOOM_MIN, 'out'), ZOOM_MIN);
});
