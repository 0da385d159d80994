// Which program a terminal runs, where, and with what environment.

import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { findExecutable } from '../files/find-executable.js';
import { homedir } from 'node:os';

export interface ShellChoice {
  file: string;
  args: string[];
  /** Set when the configured shell could not be used; shown to the user in the terminal. */
  notice: string | null;
}


function platformDefaultShell(env: NodeJS.ProcessEnv): string {
  if (process.platform === 'win32') return env.COMSPEC || 'powershell.exe';
  return '/bin/sh';
}

/**
 * settings.shell, else $SHELL, else /bin/sh. A configured shell that cannot
 * be run falls back to the next choice with a notice, rather than a terminal
 * that dies at once.
 */
export function chooseShell(configured: string | null, configuredArgs: string[], env: NodeJS.ProcessEnv = process.env): ShellChoice {
  if (process.platform === 'win32') {
    return { file: configured ?? platformDefaultShell(env), args: configured ? configuredArgs : [], notice: null };
  }
  if (configured !== null) {
    const found = findExecutable(configured, env);
    if (found) return { file: found, args: configuredArgs, notice: null };
  }
  const fromEnv = env.SHELL ? findExecutable(env.SHELL, env) : null;
  const file = fromEnv ?? platformDefaultShell(env);
  const notice = configured !== null
    ? `The shell "${configured}" from settings cannot be run (not found or not executable); using ${file}. Fix "shell" in the settings file.`
    : null;
  // The configured args belong to the configured shell; they may mean nothing to the fallback.
  return { file, args: configured !== null ? [] : configuredArgs, notice };
}

export interface CwdChoice {
  cwd: string;
  notice: string | null;
}

/** The requested directory when it exists, else home (with a notice saying why). */
export function chooseCwd(requested: string | null, home: string = homedir()): CwdChoice {
  if (requested === null || requested === '') return { cwd: home, notice: null };
  let problem: string | null = null;
  if (!isAbsolute(requested)) {
    problem = 'is not an absolute path';
  } else {
    try {
      if (!statSync(requested).isDirectory()) problem = 'is not a directory';
    } catch {
      problem = 'does not exist';
    }
  }
  if (problem === null) return { cwd: requested, notice: null };
  return { cwd: home, notice: `The directory ${requested} ${problem}; starting in ${home}.` };
}

/** Variables that describe the process that started Modus, not a fresh terminal. */
const INHERITED_NOISE = /^(npm_|NODE_OPTIONS$|INIT_CWD$|ELECTRON_|TMUX$|TMUX_PANE$|STY$|WINDOW$|WINDOWID$|TERMCAP$|COLUMNS$|LINES$|VTE_VERSION$|TERM_SESSION_ID$|MODUS_CONFIG_DIR$)/;

/** The environment of a new interactive shell: the user's, cleaned, with the terminal's identity. */
export function shellEnvironment(base: NodeJS.ProcessEnv, version: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined && !INHERITED_NOISE.test(key)) env[key] = value;
  }
  env.TERM = 'xterm-256color';
  env.COLORTERM = 'truecolor';
  env.TERM_PROGRAM = 'Modus';
  env.TERM_PROGRAM_VERSION = version;
  // Without any locale the shell falls back to ASCII and mangles UTF-8 input; xterm always speaks UTF-8.
  if (!env.LC_ALL && !env.LC_CTYPE && !env.LANG) env.LANG = 'C.UTF-8';
  return env;
}
