import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { electronMissingHelp, electronPlatformPath, findElectronBinary } from '../../../main/host/electron/electron-binary.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'modus-electron-binary-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function project(name: string, layout: { pkg?: boolean; pathTxt?: string; binary?: string }): string {
  const root = join(dir, name);
  const pkg = join(root, 'node_modules', 'electron');
  mkdirSync(pkg, { recursive: true });
  if (layout.pkg !== false) writeFileSync(join(pkg, 'package.json'), '{"name":"electron"}');
  if (layout.pathTxt !== undefined) writeFileSync(join(pkg, 'path.txt'), layout.pathTxt);
  if (layout.binary !== undefined) {
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(join(pkg, 'dist', layout.binary), '');
  }
  return root;
}

test('found where install.js puts it: path.txt names a file in node_modules/electron/dist', () => {
  const root = project('installed', { pathTxt: 'electron', binary: 'electron' });
  assert.deepEqual(findElectronBinary(root, {}, 'linux'), { found: true, path: join(root, 'node_modules', 'electron', 'dist', 'electron') });
});

test('missing binary: the reason says which part is missing', () => {
  const never = findElectronBinary(project('never', {}), {}, 'linux');
  assert.equal(never.found, false);
  assert.match(!never.found ? never.reason : '', /never downloaded \(node_modules\/electron\/path\.txt is missing\)/);
  const gone = findElectronBinary(project('gone', { pathTxt: 'electron' }), {}, 'linux');
  assert.match(!gone.found ? gone.reason : '', /path\.txt names .*dist\/electron, which does not exist/);
  const noPkg = findElectronBinary(project('nopkg', { pkg: false }), {}, 'linux');
  assert.match(!noPkg.found ? noPkg.reason : '', /node_modules\/electron is not installed \(run `npm ci`\)/);
});

test('ELECTRON_OVERRIDE_DIST_PATH wins, and a wrong one is named', () => {
  const root = project('override', {});
  const dist = join(dir, 'my-electron');
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(dist, 'electron'), '');
  assert.deepEqual(findElectronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: dist }, 'linux'), { found: true, path: join(dist, 'electron') });
  const wrong = findElectronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'nowhere') }, 'linux');
  assert.match(!wrong.found ? wrong.reason : '', /ELECTRON_OVERRIDE_DIST_PATH is set to .*nowhere, but .*nowhere\/electron does not exist/);
});

test('platform executables are named as install.js names them', () => {
  assert.equal(electronPlatformPath('linux'), 'electron');
  assert.equal(electronPlatformPath('win32'), 'electron.exe');
  assert.equal(electronPlatformPath('darwin'), 'Electron.app/Contents/MacOS/Electron');
});

test('the help says what is wrong, how to get Electron, and what happens instead', () => {
  const text = electronMissingHelp('the binary was never downloaded', 'TypeError: fetch failed');
  assert.match(text, /Electron's binary is not available/);
  assert.match(text, /why: the binary was never downloaded/);
  assert.match(text, /tried to download it .*: TypeError: fetch failed/);
  assert.match(text, /ELECTRON_MIRROR=\S+ npx install-electron/);
  assert.match(text, /ELECTRON_OVERRIDE_DIST_PATH=\/path\/to\/electron\/dist npm start/);
  assert.match(text, /Starting `modus serve` instead/);
  assert.doesNotMatch(electronMissingHelp('x', null), /tried to download/);
});
