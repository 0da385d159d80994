// Where Modus keeps the user's files (settings.json, session.json).
// One function so every host (Electron, web, CLI) agrees on the place.
import { homedir } from 'node:os';
import { join, win32 } from 'node:path';

export interface PathEnvironment {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
}

const currentEnvironment = (): PathEnvironment => ({ env: process.env, platform: process.platform, home: homedir() });

/**
 * The user config directory:
 *  - $MODUS_CONFIG_DIR when set (tests, portable setups);
 *  - Linux and other Unixes: $XDG_CONFIG_HOME/modus, else ~/.config/modus;
 *  - macOS: ~/Library/Application Support/Modus;
 *  - Windows: %APPDATA%\Modus (else ~\AppData\Roaming\Modus).
 */
export function userConfigDir(where: PathEnvironment = currentEnvironment()): string {
  const { env, platform, home } = where;
  if (env.MODUS_CONFIG_DIR) return env.MODUS_CONFIG_DIR;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Modus');
  if (platform === 'win32') return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), 'Modus');
  // XDG says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.config'), 'modus');
}

export const SETTINGS_FILE_NAME = 'settings.json';
export const SESSION_FILE_NAME = 'session.json';

export function settingsFilePath(dir: string = userConfigDir()): string {
  return joinIn(dir, SETTINGS_FILE_NAME);
}

export function sessionFilePath(dir: string = userConfigDir()): string {
  return joinIn(dir, SESSION_FILE_NAME);
}

/** Joins with the separator the directory already uses, so Windows paths stay Windows paths. */
function joinIn(dir: string, name: string): string {
  return /^[A-Za-z]:\\/.test(dir) ? win32.join(dir, name) : join(dir, name);
}
