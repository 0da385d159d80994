// `modus hosts [NOTEBOOK]`: the hosts a notebook's blocks run on (or, with no
// notebook, every host the inventory and ssh config name), each with the
// address, user and port ssh will really use (`ssh -G`: ~/.ssh/config
// applied), its platform, and where the name was found. Each host's ssh
// destination is the run's own (host-destination.ts), so a Junos device is
// shown as a run reaches it: by its name, the inventory's address as
// HostName, at its NETCONF port.

import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadInventory, resolveHosts, type Inventory, type LoadedInventory, type ResolvedHost } from '../../../inventory/inventory.js';
import { formatMessage, hasErrors } from '../../../notebook/messages.js';
import { scanNotebook } from '../../../notebook/scan.js';
import { hostDestination } from '../../../run/host-destination.js';
import { hostSpec, planRun } from '../../../run/plan.js';
import { netconfPortFrom } from '../../../targets/junos/netconf-port.js';
import type { SshDestination } from '../../../targets/ssh/destination.js';
import { EffectiveConfigBatcher, type EffectiveConfig } from '../../../targets/ssh/effective-config.js';
import { describeFileError } from '../../../files/describe-error.js';
import { readCommandLine } from './command-line.js';

const USAGE = `usage: modus hosts [NOTEBOOK.md] [--inventory FILE] [--ssh-config FILE] [--json]

Prints the hosts NOTEBOOK's blocks run on, in the order the notebook names
them (groups and globs expanded); with no notebook, every host of the
inventory (./inventory.yaml or --inventory) and every concrete alias of the
ssh config. For each: the address, user and port ssh will use (ssh -G, so
~/.ssh/config and its Match blocks apply), the platform, a ProxyJump, and
where the name was found (inventory, ssh config, address, local). A Junos
device is reached by its name with the inventory's address as HostName, so
the ssh config for the name applies; its port is the NETCONF port (the
inventory's, else a Port the ssh config sets, else 830).
Exit 0; 1 when a name does not resolve; 2 for usage errors.
`;

interface HostsArgs {
  notebook?: string;
  inventory?: string;
  sshConfig?: string;
  json: boolean;
}

function parseArgs(argv: string[]): HostsArgs | string {
  const out: HostsArgs = { json: false };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = name !== arg ? arg.slice(eq + 1) : undefined;
    if (name === '--inventory' || name === '--ssh-config') {
      const v = inline ?? argv[++i];
      if (v === undefined) return `${name} needs a file`;
      if (name === '--inventory') out.inventory = v;
      else out.sshConfig = resolve(v);
    } else if (arg === '--json') out.json = true;
    else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else positional.push(arg);
  }
  if (positional.length > 1) return `one notebook at a time (got ${positional.join(', ')})`;
  if (positional[0] !== undefined) out.notebook = positional[0];
  return out;
}

export interface HostRow {
  name: string;
  address: string;
  user: string;
  port: number | null;
  platform: string;
  source: string;
  proxyJump?: string;
  /** Blocks (numbers) that run on it, with a notebook. */
  blocks?: number[];
}

const SOURCE: Record<ResolvedHost['source'], string> = { inventory: 'inventory', 'ssh-config': 'ssh config', address: 'address', local: 'local' };

/**
 * Where the run's ssh goes for the host and the effective config it gets: a
 * Junos device's at its NETCONF port, as ssh-link.ts settles it. null config
 * when ssh -G fails (the run reports that failure when it connects).
 */
async function effectiveDestination(h: ResolvedHost, configs: EffectiveConfigBatcher): Promise<{ dest: SshDestination; cfg: EffectiveConfig | null }> {
  const dest = hostDestination(hostSpec(h, h.name));
  const cfg = await configs.get(dest).catch(() => null);
  if (h.platform !== 'junos' || dest.port !== undefined || cfg === null) return { dest, cfg };
  const atPort = { ...dest, port: netconfPortFrom(cfg) };
  return { dest: atPort, cfg: await configs.get(atPort).catch(() => null) };
}

async function rowFor(h: ResolvedHost, configs: EffectiveConfigBatcher): Promise<HostRow> {
  if (h.source === 'local') return { name: h.name, address: '-', user: process.env.USER ?? '-', port: null, platform: 'local', source: 'local' };
  const { dest, cfg } = await effectiveDestination(h, configs);
  const row: HostRow = {
    name: h.name,
    address: cfg?.hostname ?? dest.hostname ?? dest.host,
    user: cfg?.user ?? dest.user ?? '-',
    port: dest.port ?? cfg?.port ?? null,
    platform: h.platform ?? 'linux',
    source: SOURCE[h.source],
  };
  if (cfg && cfg.proxyJump !== 'none') row.proxyJump = cfg.proxyJump;
  return row;
}

/** Every host the inventory and ssh config name, inventory first. */
function allHosts(inv: Inventory): ResolvedHost[] {
  const names = [...inv.hosts.keys(), ...inv.sshAliases.filter((a) => !inv.hosts.has(a))];
  return names.length === 0 ? [] : resolveHosts(names.join(','), inv).hosts;
}

export function formatTable(rows: HostRow[]): string {
  const header = ['NAME', 'ADDRESS', 'USER', 'PORT', 'PLATFORM', 'FROM', 'VIA'];
  const cells = rows.map((r) => [r.name, r.address, r.user, r.port === null ? '-' : String(r.port), r.platform, r.source, r.proxyJump ?? '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  return [header, ...cells].map((c) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

export async function main(argv: string[]): Promise<number> {
  const parsed = readCommandLine(argv, 'hosts', USAGE, parseArgs);
  if (typeof parsed === 'number') return parsed;
  const notebookPath = parsed.notebook !== undefined ? resolve(parsed.notebook) : join(process.cwd(), 'notebook.md');
  let text: string | null = null;
  if (parsed.notebook !== undefined) {
    try {
      text = await readFile(parsed.notebook, 'utf8');
    } catch (err) {
      process.stderr.write(`modus hosts: cannot read ${parsed.notebook}: ${describeFileError(err)}\n`);
      return 2;
    }
  }
  const nb = text !== null ? scanNotebook(text, parsed.notebook!) : null;
  let loaded: LoadedInventory;
  try {
    loaded = await loadInventory({
      notebookPath,
      declared: nb?.frontMatter?.data?.inventory,
      ...(parsed.inventory !== undefined ? { cliInventory: parsed.inventory } : {}),
      ...(parsed.sshConfig !== undefined ? { sshConfigPath: parsed.sshConfig } : {}),
    });
  } catch (e) {
    process.stderr.write(`modus hosts: cannot read the inventory: ${(e as Error).message}\n`);
    return 2;
  }
  let hosts: ResolvedHost[];
  const blocksOf = new Map<string, number[]>();
  let failed = false;
  if (nb) {
    const plan = planRun(nb, { file: parsed.notebook!, inventory: loaded });
    const problems = plan.messages.filter((m) => m.ruleId.includes('host') || m.ruleId.startsWith('inventory') || m.ruleId.startsWith('invalid'));
    for (const m of problems) process.stderr.write(`${formatMessage(m)}\n`);
    failed = hasErrors(problems);
    const seen = new Map<string, ResolvedHost>();
    for (const b of plan.blocks) {
      for (const h of resolveHosts(b.args.hosts.join(','), loaded.inventory).hosts) {
        const key = `${h.user ?? ''}@${h.name}`;
        if (!seen.has(key)) seen.set(key, h);
        blocksOf.set(key, [...(blocksOf.get(key) ?? []), b.number]);
      }
    }
    hosts = [...seen.values()];
  } else {
    for (const m of loaded.messages) process.stderr.write(`${formatMessage(m)}\n`);
    failed = hasErrors(loaded.messages);
    hosts = allHosts(loaded.inventory);
  }
  const configs = new EffectiveConfigBatcher(parsed.sshConfig);
  const rows = await Promise.all(hosts.map((h) => rowFor(h, configs)));
  if (nb) rows.forEach((r, i) => (r.blocks = blocksOf.get(`${hosts[i]!.user ?? ''}@${hosts[i]!.name}`) ?? []));
  if (parsed.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else if (rows.length === 0) process.stdout.write(nb ? `${parsed.notebook}: every block runs locally\n` : 'no hosts: no inventory.yaml here (or --inventory) and no Host aliases in the ssh config\n');
  else process.stdout.write(formatTable(rows));
  return failed ? 1 : 0;
}
