// Removing a lab from whatever state it is in: whole, half built by a process
// that was killed, or with its sshds killed -9. Nothing here trusts the lab's
// own record to be complete: processes are found by namespace as well as by
// pid file, and namespaces by their `mlab-` names.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSshdOf, killAndWait, runProgram } from '../helpers/sshd.js';
import { ipBatch, labNamespaces, linkExists, processesIn } from './netns.js';
import { NODES_DIR } from './lab-files.js';
import { forgetCurrent, readCurrent, removeLabDir } from './state.js';
import { ROOT_LINK } from './topology.js';

export interface Removed {
  namespaces: string[];
  processes: number;
  rootLink: boolean;
  dirs: string[];
}

function sshdsFromPidFiles(dir: string): number[] {
  const nodes = join(dir, NODES_DIR);
  if (!existsSync(nodes)) return [];
  const pids: number[] = [];
  for (const node of readdirSync(nodes)) {
    try {
      const pid = Number(readFileSync(join(nodes, node, 'sshd.pid'), 'utf8').trim());
      if (pid > 0 && isSshdOf(pid, join(nodes, node, 'sshd_config'))) pids.push(pid);
    } catch {
      // no pid file: never started, or stopped
    }
  }
  return pids;
}

/** Removes the recorded lab and any `mlab-*` namespaces, the root veth, and the given lab directories. */
export async function removeLab(dirs: readonly string[] = []): Promise<Removed> {
  const current = await readCurrent();
  const candidates = [...new Set([...(current ? [current.dir] : []), ...dirs])];
  const namespaces = labNamespaces();
  const pids = new Set([...candidates.flatMap(sshdsFromPidFiles), ...processesIn(namespaces)]);
  // A session can start a process while we kill; look again until the namespaces are empty.
  for (let round = 0, found = [...pids]; found.length > 0; round += 1, found = processesIn(namespaces)) {
    if (round === 5) throw new Error(`processes keep appearing in the lab's namespaces: ${found.join(', ')}`);
    found.forEach((p) => pids.add(p));
    await killAndWait(found);
  }
  const rootLink = await linkExists(ROOT_LINK);
  if (rootLink) {
    const r = await runProgram(['ip', 'link', 'del', 'dev', ROOT_LINK], { timeoutMs: 30_000 });
    if (r.code !== 0 && (await linkExists(ROOT_LINK))) throw new Error(`could not delete ${ROOT_LINK}: ${r.stderr.trim()}`);
  }
  if (namespaces.length > 0) await ipBatch(namespaces.map((ns) => `netns del ${ns}`), { force: true });
  const left = labNamespaces();
  if (left.length > 0) throw new Error(`could not delete namespaces ${left.join(', ')}`);
  const removedDirs: string[] = [];
  for (const dir of candidates) if (await removeLabDir(dir)) removedDirs.push(dir);
  await forgetCurrent();
  return { namespaces, processes: pids.size, rootLink, dirs: removedDirs };
}

export function describeRemoved(r: Removed): string {
  if (r.namespaces.length === 0 && r.processes === 0 && !r.rootLink && r.dirs.length === 0) return 'no lab was up';
  const parts = [
    `${r.namespaces.length} namespace${r.namespaces.length === 1 ? '' : 's'}`,
    `${r.processes} process${r.processes === 1 ? '' : 'es'}`,
    ...(r.rootLink ? [ROOT_LINK] : []),
    ...r.dirs,
  ];
  return `removed ${parts.join(', ')}`;
}
