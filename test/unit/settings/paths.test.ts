import { test } from 'node:test';
import assert from 'node:assert/strict';
import { userConfigDir, settingsFilePath, sessionFilePath } from '../../../main/host/paths.js';

test('the config directory per platform', () => {
  assert.equal(userConfigDir({ env: {}, platform: 'linux', home: '/home/ann' }), '/home/ann/.config/modus');
  assert.equal(userConfigDir({ env: { XDG_CONFIG_HOME: '/xdg' }, platform: 'linux', home: '/home/ann' }), '/xdg/modus');
  assert.equal(userConfigDir({ env: { XDG_CONFIG_HOME: 'relative' }, platform: 'linux', home: '/home/ann' }), '/home/ann/.config/modus', 'a relative XDG_CONFIG_HOME is ignored');
  assert.equal(userConfigDir({ env: {}, platform: 'darwin', home: '/Users/ann' }), '/Users/ann/Library/Application Support/Modus');
  assert.equal(userConfigDir({ env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, platform: 'win32', home: 'C:\\Users\\ann' }), 'C:\\Users\\ann\\AppData\\Roaming\\Modus');
  assert.equal(userConfigDir({ env: { MODUS_CONFIG_DIR: '/tmp/t', XDG_CONFIG_HOME: '/xdg' }, platform: 'linux', home: '/h' }), '/tmp/t');
});

test('settings.json and session.json sit in the config directory', () => {
  assert.equal(settingsFilePath('/home/ann/.config/modus'), '/home/ann/.config/modus/settings.json');
  assert.equal(sessionFilePath('C:\\Users\\ann\\AppData\\Roaming\\Modus'), 'C:\\Users\\ann\\AppData\\Roaming\\Modus\\session.json');
});
