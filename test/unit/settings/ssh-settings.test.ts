// The SSH tab settings outside validation: ~/ expansion, and a default chord
// that takes no key from another action or from the Electron menu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandUserPath } from '../../../main/settings/user-path.js';
import { DEFAULT_KEYBINDINGS, KEY_ACTIONS } from '../../../main/settings/defaults.js';
import { parseChord } from '../../../main/settings/chords.js';
import { acceleratorsOf, buildMenuTemplate } from '../../../main/host/electron/menu.js';
import type { MenuItemConstructorOptions } from 'electron';

test('~/ is the home directory; other paths stay as written', () => {
  assert.equal(expandUserPath('~/.ssh/lab_config', '/home/ann'), '/home/ann/.ssh/lab_config');
  assert.equal(expandUserPath('/etc/ssh/ssh_config', '/home/ann'), '/etc/ssh/ssh_config');
  assert.equal(expandUserPath('/srv/~/x', '/home/ann'), '/srv/~/x');
  assert.equal(expandUserPath('~other/x', '/home/ann'), '~other/x', '~user is not expanded (settings refuse it)');
});

test('the default chords are distinct, and none is one the Electron menu grabs', () => {
  const chords = KEY_ACTIONS.map((a) => DEFAULT_KEYBINDINGS[a]);
  assert.equal(new Set(chords).size, chords.length, `a chord serves two actions: ${chords.join(', ')}`);
  for (const chord of chords) assert.deepEqual(parseChord(chord), { ok: true, chord }, `${chord} is canonical`);
  for (const isMac of [false, true]) {
    for (const isDev of [false, true]) {
      const menu = buildMenuTemplate({ isDev, isMac, actions: { zoom() {}, toggleDevTools() {}, reload() {}, quit() {}, newSshTab() {} } });
      const grabbed = acceleratorsOf(menu).map((a) => a.replace('CommandOrControl', isMac ? 'Meta' : 'Ctrl'));
      for (const chord of chords) assert.ok(!grabbed.includes(chord), `the menu (mac ${isMac}, dev ${isDev}) grabs ${chord}`);
    }
  }
});

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}

test('the Electron menu has "New SSH Tab…" showing the default chord, which stays with the renderer', () => {
  for (const isMac of [false, true]) {
    const calls: string[] = [];
    const menu = buildMenuTemplate({ isDev: false, isMac, actions: { zoom() {}, toggleDevTools() {}, reload() {}, quit() {}, newSshTab: () => calls.push('ssh') } });
    const item = items(menu).find((i) => i.label === 'New SSH Tab…');
    assert.ok(item, `mac ${isMac}: the item is there`);
    assert.equal(item.accelerator, DEFAULT_KEYBINDINGS.newSshTab);
    assert.equal(item.registerAccelerator, false, 'the renderer binds the chord (remappable); the menu must not take it too');
    (item.click as () => void)();
    assert.deepEqual(calls, ['ssh']);
  }
  const without = buildMenuTemplate({ isDev: false, isMac: false, actions: { zoom() {}, toggleDevTools() {}, reload() {}, quit() {} } });
  assert.equal(items(without).find((i) => i.label === 'New SSH Tab…'), undefined, 'no item without an action to run');
});

test('the Electron menu has "Open Notebook…" (a native file dialog), showing the renderer\'s chord without taking it', () => {
  for (const isMac of [false, true]) {
    const calls: string[] = [];
    const menu = buildMenuTemplate({ isDev: false, isMac, actions: { zoom() {}, toggleDevTools() {}, reload() {}, quit() {}, newSshTab() {}, openNotebook: () => calls.push('open') } });
    const item = items(menu).find((i) => i.label === 'Open Notebook…');
    assert.ok(item, `mac ${isMac}: the item is there`);
    assert.equal(item.accelerator, DEFAULT_KEYBINDINGS.openNotebook);
    assert.equal(item.registerAccelerator, false);
    (item.click as () => void)();
    assert.deepEqual(calls, ['open']);
  }
});
