// The SSH tab settings outside validation: ~/ expansion, and a default chord
// that takes no key from another action or from the Electron menu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandUserPath } from '../../../main/settings/user-path.js';
import { DEFAULT_KEYBINDINGS, KEY_ACTIONS } from '../../../main/settings/defaults.js';
import { parseChord } from '../../../main/settings/chords.js';
import { acceleratorOf, acceleratorsOf, buildMenuTemplate, type MenuChords } from '../../../main/host/electron/menu.js';
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
      const menu = buildMenuTemplate({ isDev, isMac, actions: { zoom() {}, toggleDevTools() {}, reload() {}, quit() {}, newSshTab() {} }, chords: DEFAULT_KEYBINDINGS });
      const grabbed = acceleratorsOf(menu).map((a) => a.replace('CommandOrControl', isMac ? 'Meta' : 'Ctrl'));
      for (const chord of chords) assert.ok(!grabbed.includes(chord), `the menu (mac ${isMac}, dev ${isDev}) grabs ${chord}`);
    }
  }
});

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}

test('the Electron menu has "New SSH Tab…" showing the chord in force (default or remapped), which stays with the renderer', () => {
  const remapped: MenuChords = { ...DEFAULT_KEYBINDINGS, newSshTab: 'Ctrl+Alt+H' };
  for (const isMac of [false, true]) {
    for (const chords of [DEFAULT_KEYBINDINGS, remapped]) {
      const calls: string[] = [];
      const menu = buildMenuTemplate({ isDev: false, isMac, actions: { zoom() {}, toggleDevTools() {}, reload() {}, quit() {}, newSshTab: () => calls.push('ssh') }, chords });
      const item = items(menu).find((i) => i.label === 'New SSH Tab…');
      assert.ok(item, `mac ${isMac}: the item is there`);
      assert.equal(item.accelerator, chords.newSshTab);
      assert.equal(item.registerAccelerator, false, 'the renderer binds the chord (remappable); the menu must not take it too');
      assert.ok(!acceleratorsOf(menu).includes(chords.newSshTab));
      (item.click as () => void)();
      assert.deepEqual(calls, ['ssh']);
    }
  }
  const unbound = buildMenuTemplate({ isDev: false, isMac: false, actions: { zoom() {}, toggleDevTools() {}, reload() {}, quit() {}, newSshTab() {} }, chords: { ...DEFAULT_KEYBINDINGS, newSshTab: '' } });
  const item = items(unbound).find((i) => i.label === 'New SSH Tab…');
  assert.ok(item, 'an unbound action keeps its menu item');
  assert.equal(item.accelerator, undefined, 'and shows no chord');
  const without = buildMenuTemplate({ isDev: false, isMac: false, actions: { zoom() {}, toggleDevTools() {}, reload() {}, quit() {} }, chords: DEFAULT_KEYBINDINGS });
  assert.equal(items(without).find((i) => i.label === 'New SSH Tab…'), undefined, 'no item without an action to run');
});

test('a chord from settings becomes the accelerator Electron spells the same keys with', () => {
  assert.equal(acceleratorOf('Ctrl+Shift+S'), 'Ctrl+Shift+S');
  assert.equal(acceleratorOf('Ctrl+Shift+ArrowUp'), 'Ctrl+Shift+Up');
  assert.equal(acceleratorOf('Alt+ArrowLeft'), 'Alt+Left');
  assert.equal(acceleratorOf('Ctrl+Plus'), 'Ctrl+Plus');
  assert.equal(acceleratorOf('Ctrl+='), 'Ctrl+=');
  assert.equal(acceleratorOf('Ctrl+Alt+Shift+Meta+PageDown'), 'Ctrl+Alt+Shift+Meta+PageDown');
  assert.equal(acceleratorOf(''), undefined, 'an unbound action has none');
});

test('the Electron menu has "Open Notebook…" (a native file dialog), showing the renderer\'s chord in force without taking it', () => {
  for (const isMac of [false, true]) {
    for (const chords of [DEFAULT_KEYBINDINGS, { ...DEFAULT_KEYBINDINGS, openNotebook: 'Ctrl+Shift+ArrowUp' }]) {
      const calls: string[] = [];
      const menu = buildMenuTemplate({ isDev: false, isMac, actions: { zoom() {}, toggleDevTools() {}, reload() {}, quit() {}, newSshTab() {}, openNotebook: () => calls.push('open') }, chords });
      const item = items(menu).find((i) => i.label === 'Open Notebook…');
      assert.ok(item, `mac ${isMac}: the item is there`);
      assert.equal(item.accelerator, acceleratorOf(chords.openNotebook));
      assert.equal(item.registerAccelerator, false);
      (item.click as () => void)();
      assert.deepEqual(calls, ['open']);
    }
  }
});
