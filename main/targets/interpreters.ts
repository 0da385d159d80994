// Which program runs a block's language on this machine. The language name is
// the program name (`perl`, `node`, `ruby`…) looked up on PATH; a few names map
// to another program. Names are checked so a fence's info string can never
// smuggle a path or shell syntax into the command.

import { findExecutable } from '../files/find-executable.js';

const LANGUAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** Languages whose program has another name. */
const PROGRAM_FOR_LANGUAGE: Record<string, string> = {
  shell: 'sh',
  python: 'python3',
  js: 'node',
  javascript: 'node',
};

/** Shell languages a bash session sources (so `cd` and variables stay); every other language runs as a program from the session. */
export const SOURCED_IN_SESSION = new Set(['sh', 'shell', 'bash']);

const cache = new Map<string, string | null>();

/** The program name a language runs with, or an error when the name cannot be a program. */
export function programFor(language: string): { program: string } | { error: string } {
  if (!LANGUAGE_NAME.test(language)) {
    return { error: `language "${language}" is not a program name (letters, digits, . _ + - only)` };
  }
  return { program: PROGRAM_FOR_LANGUAGE[language] ?? language };
}

/** Absolute path of an executable named `program` on PATH, or null. Cached per PATH: every block asks. */
export async function findOnPath(program: string, path = process.env.PATH ?? ''): Promise<string | null> {
  const key = `${path}\0${program}`;
  let found = cache.get(key);
  if (found === undefined) {
    found = findExecutable(program, { PATH: path });
    cache.set(key, found);
  }
  return found;
}

/** Resolves a block language to an interpreter path, or a message saying why it cannot run here. */
export async function resolveInterpreter(language: string): Promise<{ path: string } | { error: string }> {
  const p = programFor(language);
  if ('error' in p) return p;
  const path = await findOnPath(p.program);
  if (path === null) {
    return { error: `no interpreter for language "${language}": "${p.program}" is not on PATH` };
  }
  return { path };
}
