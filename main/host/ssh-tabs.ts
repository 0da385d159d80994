// SSH tabs: the hosts the picker offers and the ssh command line a tab runs.
// The picker lists the inventory's Linux hosts (settings.inventory), then the
// concrete aliases of the ssh config (settings.sshConfig, else
// ~/.ssh/config). A tab runs the user's own ssh on the pty, so host-key
// questions, passwords and their ControlMaster work as in any terminal; the
// host reaches ssh as argv after `--`, never through a shell. With
// settings.sshShellIntegration the tab's ssh runs a remote command that starts
// the login shell with Modus's integration (remote-shell-integration.ts).

import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ListedHost, Settings } from '../protocol.js';
import { loadInventory, type InventoryHost, type LoadedInventory } from '../inventory/inventory.js';
import { formatMessage } from '../notebook/messages.js';
import { destinationArgs, destinationProblem, type SshDestination } from '../targets/ssh/destination.js';
import { EffectiveConfigBatcher, type EffectiveConfig } from '../targets/ssh/effective-config.js';
import type { LentMaster } from '../targets/ssh/ssh-connection.js';
import { hostDestination } from '../run/host-destination.js';
import { newNonce } from '../terminals/shell-integration.js';
import { remoteIntegrationCommand } from '../terminals/remote-shell-integration.js';
import { expandUserPath } from '../settings/user-path.js';

interface SshTabFiles {
  /** `-F` for ssh; null = ssh's own default. */
  sshConfig: string | null;
  /** What ssh reads when there is no -F, for listing its aliases. */
  sshConfigRead: string;
  inventory: string | null;
}

function filesOf(settings: Settings, home: string): SshTabFiles {
  const sshConfig = settings.sshConfig === null ? null : expandUserPath(settings.sshConfig, home);
  return {
    sshConfig,
    sshConfigRead: sshConfig ?? join(home, '.ssh', 'config'),
    inventory: settings.inventory === null ? null : expandUserPath(settings.inventory, home),
  };
}

function shown(path: string, home: string): string {
  return path.startsWith(`${home}/`) ? `~/${path.slice(home.length + 1)}` : path;
}

/** Why a configured file cannot be read, worded for the setting that names it; null when it is a file. */
async function fileProblem(path: string, setting: string): Promise<string | null> {
  try {
    if ((await stat(path)).isFile()) return null;
    return `${path}: the "${setting}" setting names something that is not a file`;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `${path}: the file named by the "${setting}" setting does not exist` : `${path}: cannot read the file named by the "${setting}" setting (${code ?? (e as Error).message})`;
  }
}

async function readInventory(files: SshTabFiles, problems: string[]): Promise<LoadedInventory['inventory'] | null> {
  if (files.inventory === null) return null;
  const missing = await fileProblem(files.inventory, 'inventory');
  if (missing) {
    problems.push(missing);
    return null;
  }
  // `declared`, not `cliInventory`: a notebook's inventory.yaml beside the file must not take its place.
  const loaded = await loadInventory({
    notebookPath: join(dirname(files.inventory), `.${basename(files.inventory)}.hosts`),
    declared: files.inventory,
    sshConfigPath: files.sshConfigRead,
  });
  for (const m of loaded.messages) problems.push(formatMessage(m));
  return loaded.inventory;
}

/** Junos hosts are reached over NETCONF by notebooks; their inventory port is NETCONF's, not a shell's. */
function offered(host: InventoryHost): boolean {
  return host.platform === undefined || host.platform === 'linux';
}

function detailOf(host: InventoryHost): string {
  return [host.address, host.user, host.port !== undefined ? `port ${host.port}` : undefined].filter((x) => x !== undefined).join(' · ');
}

export async function listSshHosts(settings: Settings, home: string): Promise<{ hosts: ListedHost[]; problems: string[] }> {
  const files = filesOf(settings, home);
  const problems: string[] = [];
  const hosts: ListedHost[] = [];
  const seen = new Set<string>();
  let aliases: string[];
  const inventory = await readInventory(files, problems);
  if (inventory) {
    for (const host of inventory.hosts.values()) {
      if (!offered(host) || seen.has(host.name)) continue;
      seen.add(host.name);
      // What the tab would refuse to open is not offered: a pick that can only fail is a dead end.
      const problem = destinationProblem({ host: host.name }) ?? destinationProblem(inventoryDestination(host));
      if (problem) problems.push(`${host.name} (inventory) is not offered: ${problem}`);
      else hosts.push({ name: host.name, detail: detailOf(host), source: 'inventory' });
    }
    aliases = inventory.sshAliases;
  } else {
    // The ssh config alone (the notebook path only decides where an inventory.yaml would be looked for, and none is used here).
    aliases = (await loadInventory({ notebookPath: files.sshConfigRead, sshConfigPath: files.sshConfigRead })).inventory.sshAliases;
  }
  if (files.sshConfig !== null) {
    const problem = await fileProblem(files.sshConfig, 'sshConfig');
    if (problem) problems.push(problem);
  }
  const from = shown(files.sshConfigRead, home);
  for (const alias of aliases) {
    if (seen.has(alias)) continue;
    seen.add(alias);
    const problem = destinationProblem({ host: alias });
    if (problem) problems.push(`${alias} (${from}) is not offered: ${problem}`);
    else hosts.push({ name: alias, detail: from, source: 'ssh-config' });
  }
  return { hosts, problems };
}

interface TabDestination {
  files: SshTabFiles;
  destination: SshDestination;
  /** The inventory's platform for the host, when it has one. */
  platform: string | undefined;
  /** The inventory file that names the host, null when it is not an inventory host. */
  inventory: string | null;
}

async function tabDestination(host: string, settings: Settings, home: string): Promise<TabDestination> {
  const files = filesOf(settings, home);
  let destination: SshDestination = { host };
  const inventory = await readInventory(files, []);
  const entry = inventory?.hosts.get(host);
  if (entry) destination = inventoryDestination(entry);
  return { files, destination, platform: entry?.platform, inventory: entry ? files.inventory : null };
}

/**
 * Where a tab to an inventory host goes: where a run's blocks go for a Linux
 * host (host-destination.ts), so a master a run opened is found for the tab
 * by the same destination. A Junos device's inventory port is NETCONF's: a
 * tab's shell goes to its ssh port.
 */
function inventoryDestination(entry: InventoryHost): SshDestination {
  return hostDestination({
    label: entry.name,
    ...(entry.address !== undefined ? { address: entry.address } : {}),
    ...(entry.user !== undefined ? { user: entry.user } : {}),
    ...(entry.port !== undefined && offered(entry) ? { port: entry.port } : {}),
  });
}

function argsOf(t: TabDestination): string[] {
  return [...(t.files.sshConfig !== null ? ['-F', t.files.sshConfig] : []), ...destinationArgs(t.destination)];
}

/**
 * ssh's arguments for a tab to `host`: `-F FILE` when settings name one,
 * then the destination. An inventory host with an address (user, port) goes
 * there, as notebook blocks do; any other name is left to ssh config and DNS.
 * Throws when the destination is unusable (destination.ts says why).
 */
export async function sshTabArgs(host: string, settings: Settings, home: string): Promise<string[]> {
  return argsOf(await tabDestination(host, settings, home));
}

export interface SshTabCommand {
  args: string[];
  /** The nonce of the remote shell's marks when the tab runs it with integration, else null. */
  integrationNonce: string | null;
  /** Why a tab that was to have integration has none, for the tab (null: nothing to say). */
  notice: string | null;
  /** The inventory (settings.inventory) that names the host, for notebooks of the tab's commands; null when it does not. */
  inventory: string | null;
  /** The master the tab rides on (to release when its ssh ends), null when it connects by itself. */
  master: LentMaster | null;
}

/** A master of Modus's own to the tab's destination, under the tab's ssh config, when one is up (notebook runs set them up). */
export type LendMaster = (destination: SshDestination, sshConfig: string | null) => Promise<LentMaster | null>;

/** What ssh itself makes of the host's configuration (`ssh -G`). */
export type ReadSshConfig = (destination: SshDestination, configFile: string | null) => Promise<EffectiveConfig>;

const noMaster: LendMaster = () => Promise.resolve(null);

const readSshConfig: ReadSshConfig = (destination, configFile) => new EffectiveConfigBatcher(configFile ?? undefined).get(destination);

/**
 * The ssh command line of a tab to `host`: sshTabArgs, and with
 * settings.sshShellIntegration `-t` and the remote command that starts the
 * login shell with Modus's integration, unless the inventory says the host
 * is no Linux host or the user's ssh config already gives it a command of
 * its own (ssh takes only one).
 */
export async function sshTabCommand(host: string, settings: Settings, home: string, readConfig: ReadSshConfig = readSshConfig, lendMaster: LendMaster = noMaster): Promise<SshTabCommand> {
  const tab = await tabDestination(host, settings, home);
  const args = argsOf(tab);
  // Checked before a master is borrowed: a throw after it would leave the loan open.
  const master = await lendMaster(tab.destination, tab.files.sshConfig);
  // ControlMaster=no: a client of that master, never one itself; were the master gone by then, ssh connects by itself.
  const riding = master ? ['-o', 'ControlMaster=no', '-o', `ControlPath=${master.socket}`, ...args] : args;
  const plain: SshTabCommand = { args: riding, integrationNonce: null, notice: null, inventory: tab.inventory, master };
  if (!settings.sshShellIntegration) return plain;
  const without = (why: string): SshTabCommand => ({ ...plain, notice: `${why}; this tab runs without shell integration` });
  if (tab.platform !== undefined && tab.platform !== 'linux') return without(`${host} is a ${tab.platform} host in the inventory, not a Linux one`);
  let config: EffectiveConfig;
  try {
    config = await readConfig(tab.destination, tab.files.sshConfig);
  } catch {
    // ssh cannot read its configuration for the host: the tab's ssh says why, better than we could.
    return plain;
  }
  const own = config.all.get('remotecommand');
  if (own !== undefined && own !== 'none') return without(`the ssh config gives ${host} a RemoteCommand, and ssh runs only one command`);
  const session = config.all.get('sessiontype');
  if (session !== undefined && session !== 'default') return without(`the ssh config gives ${host} SessionType ${session}, so it starts no shell`);
  const nonce = newNonce();
  return { ...plain, args: ['-t', ...riding, remoteIntegrationCommand(nonce)], integrationNonce: nonce };
}
