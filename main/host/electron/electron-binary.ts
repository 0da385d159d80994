// Where is Electron's executable? Answered the way the `electron` package
// itself answers it (node_modules/electron/index.js), but without its side
// effect of downloading on first use. Used by scripts/start.js (`npm start`)
// and by test/e2e/electron.test.ts to decide between Electron and the
// browser fallback.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ElectronBinaryLookup = { found: true; path: string } | { found: false; reason: string };

/** The executable's path inside Electron's dist directory, as install.js writes it to path.txt. */
export function electronPlatformPath(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): ElectronBinaryLookup {
  const pkgDir = join(root, 'node_modules', 'electron');
  const pathFile = join(pkgDir, 'path.txt');
  const recorded = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const candidate = join(override, recorded || electronPlatformPath(platform));
    return existsSync(candidate)
      ? { found: true, path: candidate }
      : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set to ${override}, but ${candidate} does not exist` };
  }
  if (!existsSync(join(pkgDir, 'package.json'))) return { found: false, reason: 'node_modules/electron is not installed (run `npm ci`)' };
  if (recorded === null) return { found: false, reason: "Electron's binary was never downloaded (node_modules/electron/path.txt is missing)" };
  const candidate = join(pkgDir, 'dist', recorded);
  return existsSync(candidate)
    ? { found: true, path: candidate }
    : { found: false, reason: `node_modules/electron/path.txt names ${candidate}, which does not exist` };
}

/** The explanation `npm start` prints before falling back to `modus serve` in a browser. */
export function electronMissingHelp(reason: string, downloadError: string | null): string {
  const lines = [
    "Modus: Electron's binary is not available, so the desktop window cannot open.",
    `  why: ${reason}`,
  ];
  if (downloadError !== null) lines.push(`  tried to download it (node node_modules/electron/install.js): ${downloadError}`);
  lines.push(
    '  to get it, any one of:',
    '    - allow the download from github.com, or use a mirror:',
    '        ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ npx install-electron',
    '    - point at an Electron you already have (same major version as package.json):',
    '        ELECTRON_OVERRIDE_DIST_PATH=/path/to/electron/dist npm start',
    'Starting `modus serve` instead: the same UI in your browser.',
  );
  return lines.join('\n') + '\n';
}
