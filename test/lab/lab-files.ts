// What a lab leaves in its directory for the tools that use it: lab.json for
// tests and benchmarks, inventory.yaml in Modus's inventory format (names
// resolve through the lab's ssh_config, so it gives platforms only).

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClientFiles, SshdHost } from '../helpers/sshd.js';
import type { LabNode } from './topology.js';

/** One directory per sshd (host key, config, pid file, log) under the lab directory. */
export const NODES_DIR = 'nodes';

export interface LabJsonHost {
  name: string;
  ns: string;
  address: string;
  address6: string;
  port: number;
  behindBastion: boolean;
  fingerprint: string;
  pid: number | null;
}

export interface LabJson {
  dir: string;
  createdAt: string;
  bringUpMs: number;
  sshConfig: string;
  knownHosts: string;
  key: string;
  encryptedKey: string;
  passphrase: string;
  inventory: string;
  bastion: LabJsonHost;
  hosts: LabJsonHost[];
}

export function describeHost(node: LabNode, sshd: SshdHost): LabJsonHost {
  return {
    name: node.name,
    ns: node.ns,
    address: node.address,
    address6: node.address6,
    port: sshd.port,
    behindBastion: node.behindBastion,
    fingerprint: sshd.hostKeyFingerprint,
    pid: sshd.pid(),
  };
}

export function inventoryYaml(hosts: readonly LabNode[], bastion: LabNode, sshConfig: string): string {
  const list = (nodes: readonly LabNode[]) => `[${nodes.map((n) => n.name).join(', ')}]`;
  return [
    `# A netns lab written by test/lab. Host names resolve through ${sshConfig}`,
    '# (ssh -F that file, or Include it from ~/.ssh/config).',
    'hosts:',
    ...[...hosts, bastion].map((n) => `  ${n.name}: { platform: linux }`),
    'groups:',
    `  all: ${list(hosts)}`,
    `  front: ${list(hosts.filter((h) => !h.behindBastion))}`,
    `  back: ${list(hosts.filter((h) => h.behindBastion))}`,
    '',
  ].join('\n');
}

export function labFilePaths(dir: string): { labJson: string; inventory: string } {
  return { labJson: join(dir, 'lab.json'), inventory: join(dir, 'inventory.yaml') };
}

export async function writeLabFiles(dir: string, json: LabJson, hosts: readonly LabNode[], bastion: LabNode, client: ClientFiles): Promise<void> {
  const paths = labFilePaths(dir);
  await writeFile(paths.inventory, inventoryYaml(hosts, bastion, client.sshConfig), { mode: 0o644 });
  await writeFile(paths.labJson, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600 });
}
