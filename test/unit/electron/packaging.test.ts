// electron-builder.yml and the fuse hook. Electron cannot be packaged here
// (no binary), so: the config is checked against electron-builder's own
// schema and for what the issue asks, and the afterPack hook is run for real
// on a file carrying a fuse wire, read back with @electron/fuses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const require = createRequire(import.meta.url);

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  afterPack: string;
  linux: { target: string[]; category: string; maintainer: string; executableName: string };
  mac: { target: string[] };
  win: { target: string[] };
  [key: string]: unknown;
}

interface FuseHook {
  (context: unknown, log?: (line: string) => void): Promise<void>;
  FUSES: Record<string, boolean>;
  fuseConfig(platform: string, arch: number): Record<string, unknown>;
  electronBinaryPath(context: unknown): string;
}

const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const hook = require(join(root, 'build', 'after-pack.cjs')) as FuseHook;

test('electron-builder.yml passes electron-builder\'s own schema', async () => {
  const { validateConfiguration } = require(join(root, 'node_modules', 'app-builder-lib', 'out', 'util', 'config', 'config.js')) as {
    validateConfiguration(c: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
  };
  await validateConfiguration(config, { isEnabled: false, add() {} });
  await assert.rejects(validateConfiguration({ ...config, linux: { ...config.linux, tagret: ['AppImage'] } }, { isEnabled: false, add() {} }), /configuration object/);
});

test('targets: AppImage and deb, dmg, NSIS; node-pty unpacked from asar; the fuse hook wired', () => {
  assert.equal(config.productName, 'Modus');
  assert.match(config.appId, /^[a-z0-9.-]+$/);
  assert.deepEqual([...config.linux.target].sort(), ['AppImage', 'deb']);
  assert.deepEqual(config.mac.target, ['dmg']);
  assert.deepEqual(config.win.target, ['nsis']);
  assert.ok(config.linux.category.length > 0 && config.linux.maintainer.includes('@'));
  assert.equal(config.asar, true);
  assert.ok(config.asarUnpack.includes('**/node_modules/node-pty/**'));
  assert.equal(config.afterPack, 'build/after-pack.cjs');
  assert.ok(existsSync(join(root, config.afterPack)));
  for (const needed of ['package.json', 'dist/renderer/**']) assert.ok(config.files.includes(needed), needed);
  assert.ok(config.files.some((f) => f.startsWith('dist/main/')));
  // main imports shared/ (code the renderer bundles too): without it the packaged app would not start.
  assert.ok(config.files.includes('dist/shared/**/*.js'), 'dist/shared is shipped');
  assert.ok(config.files.includes('!dist/test/**'), 'tests are not shipped');
});

test('package.json points Electron at the compiled main, and `npm run dist` uses this config', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
  assert.equal(pkg.main, 'dist/main/host/electron/main.js');
  assert.ok(existsSync(join(root, pkg.main)), 'built');
  assert.ok(existsSync(join(root, 'dist', 'main', 'host', 'electron', 'preload.cjs')), 'the preload compiles to CommonJS');
  assert.match(pkg.scripts.dist ?? '', /electron-builder --config electron-builder\.yml/);
});

test('fuses: Node-runtime and debugger fuses off, asar-only and integrity on, every known fuse stated', () => {
  assert.deepEqual(hook.FUSES, {
    RunAsNode: false,
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: false,
    GrantFileProtocolExtraPrivileges: false,
    LoadBrowserProcessSpecificV8Snapshot: false,
    OnlyLoadAppFromAsar: true,
    EnableEmbeddedAsarIntegrityValidation: true,
    EnableCookieEncryption: true,
  });
  // A fuse added to @electron/fuses must get a decision here.
  const known = Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k)));
  assert.deepEqual(Object.keys(hook.FUSES).sort(), known.sort());
  assert.equal(hook.fuseConfig('darwin', 3).resetAdHocDarwinSignature, true, 'Apple silicon is re-signed ad hoc');
  assert.equal(hook.fuseConfig('linux', 1).resetAdHocDarwinSignature, false);
});

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'modus-fuses-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for an Electron binary: bytes around the documented fuse sentinel and a V1 wire with every fuse enabled. */
function fakeElectron(path: string): void {
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  const wire = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('11111111')]);
  writeFileSync(path, Buffer.concat([Buffer.alloc(4096, 0xcc), wire, Buffer.alloc(4096, 0xdd)]));
}

test('the afterPack hook flips the fuses in the packaged Linux binary', async () => {
  const binary = join(dir, 'modus');
  fakeElectron(binary);
  const context = { appOutDir: dir, electronPlatformName: 'linux', arch: 1, packager: { executableName: 'modus', appInfo: { productFilename: 'Modus' } } };
  const logged: string[] = [];
  await hook(context, (line) => logged.push(line));
  assert.match(logged.join('\n'), /fuses flipped in .*modus \(1 wire\)/);
  const wire = (await getCurrentFuseWire(binary)) as unknown as Record<number, number>;
  const ON = '1'.charCodeAt(0);
  const OFF = '0'.charCodeAt(0);
  for (const [name, value] of Object.entries(hook.FUSES)) {
    const index = FuseV1Options[name as keyof typeof FuseV1Options];
    assert.equal(wire[index], value ? ON : OFF, name);
  }
  // Nothing but the wire changed.
  const bytes = readFileSync(binary);
  assert.equal(bytes.length, 4096 + 32 + 2 + 8 + 4096);
  assert.ok(bytes.subarray(0, 4096).every((b) => b === 0xcc));
});

test('the hook finds the binary on each platform and says so when it cannot', () => {
  const packager = { executableName: 'modus', appInfo: { productFilename: 'Modus' } };
  assert.equal(hook.electronBinaryPath({ appOutDir: '/out', electronPlatformName: 'linux', packager }), '/out/modus');
  assert.equal(hook.electronBinaryPath({ appOutDir: '/out', electronPlatformName: 'win32', packager }), '/out/Modus.exe');
  assert.equal(hook.electronBinaryPath({ appOutDir: '/out', electronPlatformName: 'darwin', packager }), '/out/Modus.app');
  assert.throws(() => hook.electronBinaryPath({ appOutDir: '/out', electronPlatformName: 'beos', packager }), /unknown platform "beos"/);
});

test('a binary without a fuse wire fails the build loudly', async () => {
  const binary = join(dir, 'nofuses');
  writeFileSync(binary, Buffer.alloc(1024));
  const context = { appOutDir: dir, electronPlatformName: 'linux', arch: 1, packager: { executableName: 'nofuses', appInfo: { productFilename: 'Modus' } } };
  await assert.rejects(hook(context, () => {}), /Could not find sentinel/);
});
