// electron-builder afterPack hook: flips Electron's fuses in the packaged
// binary, before signing (electron-builder signs after this hook), so the
// shipped app cannot be turned back into a Node runtime or debugger.
//
// Checked by test/unit/electron/packaging.test.ts, which also runs this hook
// on a file carrying a fuse wire and reads the result back with @electron/fuses.
'use strict';
/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS hook, loaded by electron-builder with require() */

const path = require('node:path');
const { flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses');

/** The fuse settings, by name; every fuse @electron/fuses knows is stated. */
const FUSES = Object.freeze({
  // Off: each of these turns the app into a general-purpose Node/debug host.
  RunAsNode: false, // ELECTRON_RUN_AS_NODE
  EnableNodeOptionsEnvironmentVariable: false, // NODE_OPTIONS
  EnableNodeCliInspectArguments: false, // --inspect, --inspect-brk
  GrantFileProtocolExtraPrivileges: false, // file:// pages get no special powers
  LoadBrowserProcessSpecificV8Snapshot: false,
  // On: load only our archive, check it against the hash embedded at package
  // time (macOS and Windows; Linux ignores it), encrypt cookies at rest.
  OnlyLoadAppFromAsar: true,
  EnableEmbeddedAsarIntegrityValidation: true,
  EnableCookieEncryption: true,
});

// builder-util's Arch enum: ia32=0, x64=1, armv7l=2, arm64=3, universal=4.
const ARCH_ARM64 = 3;
const ARCH_UNIVERSAL = 4;

/** The @electron/fuses config for a platform and arch. */
function fuseConfig(platform, arch) {
  const config = { version: FuseVersion.V1 };
  for (const [name, value] of Object.entries(FUSES)) {
    if (!(name in FuseV1Options)) throw new Error(`after-pack: @electron/fuses has no fuse named ${name}; update the FUSES table`);
    config[FuseV1Options[name]] = value;
  }
  // Flipping bytes breaks the ad-hoc signature Apple silicon requires; re-sign ad hoc.
  config.resetAdHocDarwinSignature = (platform === 'darwin' || platform === 'mas') && (arch === ARCH_ARM64 || arch === ARCH_UNIVERSAL);
  return config;
}

/** Where the Electron executable sits inside electron-builder's output directory. */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const productFilename = packager.appInfo.productFilename;
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(appOutDir, `${productFilename}.app`);
    case 'win32':
      return path.join(appOutDir, `${productFilename}.exe`);
    case 'linux':
      return path.join(appOutDir, packager.executableName ?? productFilename);
    default:
      throw new Error(`after-pack: unknown platform "${electronPlatformName}"; cannot locate the Electron binary to flip its fuses`);
  }
}

/** electron-builder calls this with the context only; tests pass `log` to keep their stdout clean. */
async function afterPack(context, log = (line) => console.log(line)) {
  const binary = electronBinaryPath(context);
  const flipped = await flipFuses(binary, fuseConfig(context.electronPlatformName, context.arch));
  log(`  • fuses flipped in ${binary} (${flipped} wire${flipped === 1 ? '' : 's'}): ${JSON.stringify(FUSES)}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
module.exports.fuseConfig = fuseConfig;
module.exports.electronBinaryPath = electronBinaryPath;
