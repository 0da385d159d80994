// The simulator's `netconf` subsystem as a native program
// (netconf-connector.c), compiled with the machine's C compiler the first
// time a simulator starts and kept, per source, in a private directory of
// the user's under the temporary directory. Null when there is no compiler
// or the build fails: the simulator then uses netconf-subsystem.js, which
// behaves the same and costs a Node start per session.

import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findExecutable } from '../../main/files/find-executable.js';

/** The source, in the repository (this module runs from dist/test/junos-sim). */
const SOURCE = fileURLToPath(new URL('../../../test/junos-sim/netconf-connector.c', import.meta.url));

/**
 * Where built connectors are kept: sshd runs them as root, so only a
 * directory that is ours and that nobody else can write qualifies;
 * otherwise `fallbackDir` (the simulator's own, made private by the harness).
 */
async function buildDir(fallbackDir: string): Promise<string> {
  const dir = join(tmpdir(), `modus-junos-sim-${process.getuid?.() ?? 'user'}`);
  try {
    await mkdir(dir, { mode: 0o700 }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    const st = await lstat(dir);
    if (st.isDirectory() && st.uid === process.getuid?.() && (st.mode & 0o077) === 0) return dir;
  } catch {
    // not usable: the simulator's own directory will do
  }
  return fallbackDir;
}

/** Builds under way in this process, by target: simulators started at once share one. */
const building = new Map<string, Promise<string | null>>();

/** The connector's path, built if needed; null when it cannot be built here. */
export async function nativeConnector(fallbackDir: string): Promise<string | null> {
  const cc = findExecutable('cc') ?? findExecutable('gcc');
  if (!cc || !existsSync(SOURCE)) return null;
  const source = await readFile(SOURCE);
  const hash = createHash('sha256').update(cc).update('\0').update(source).digest('hex').slice(0, 16);
  const target = join(await buildDir(fallbackDir), `netconf-connector-${hash}`);
  if (existsSync(target)) return target;
  let build = building.get(target);
  if (!build) {
    build = compile(cc, target).finally(() => building.delete(target));
    building.set(target, build);
  }
  return build;
}

async function compile(cc: string, target: string): Promise<string | null> {
  // Built under a name of its own and renamed: simulators of other processes starting at once never run a half-written file.
  const partial = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  const built = await new Promise<boolean>((resolve) => {
    execFile(cc, ['-O2', '-Wall', '-o', partial, SOURCE], { timeout: 60_000 }, (err) => resolve(err === null));
  });
  if (!built) {
    await rm(partial, { force: true });
    return null;
  }
  await rename(partial, target);
  return target;
}
