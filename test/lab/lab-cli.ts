// `npm run lab:up -- --hosts N [--dir DIR]` and `npm run lab:down`. up
// replaces whatever lab is there (a whole one, or what a crash left), so it
// is safe to run again; the lab stays up after this process exits.

import { labAvailable, startLab, stopLab } from './lab.js';
import { describeRemoved } from './teardown.js';
import { MAX_HOSTS } from './topology.js';

const USAGE = `usage: lab-cli.js up [--hosts N] [--dir DIR] [--wait S] | down [--dir DIR] [--wait S]
  N from 1 to ${MAX_HOSTS}, default 4; DIR default $MODUS_LAB_DIR or /tmp/modus-lab;
  S: how long to wait while a test uses the lab, default 10 seconds`;

function parse(argv: string[]): { command: string; hosts: number; dir?: string; waitMs: number } {
  const [command = '', ...rest] = argv;
  let hosts = 4;
  let dir: string | undefined;
  let waitMs = 10_000;
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i]!;
    const value = () => {
      const v = rest[++i];
      if (v === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === '--hosts') hosts = Number(value());
    else if (arg.startsWith('--hosts=')) hosts = Number(arg.slice('--hosts='.length));
    else if (arg === '--dir') dir = value();
    else if (arg === '--wait') waitMs = Number(value()) * 1000;
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  if (command !== 'up' && command !== 'down') throw new Error(USAGE);
  if (!Number.isFinite(waitMs) || waitMs < 0) throw new Error(`--wait takes seconds\n${USAGE}`);
  return { command, hosts, dir, waitMs };
}

/** A few names and a count: 200 hosts must not fill the screen. */
function names(list: readonly string[]): string {
  if (list.length === 0) return 'none';
  if (list.length <= 8) return list.join(' ');
  return `${list.length} (${list.slice(0, 4).join(' ')} … ${list.slice(-2).join(' ')})`;
}

async function main(): Promise<void> {
  const { command, hosts, dir, waitMs } = parse(process.argv.slice(2));
  const why = labAvailable();
  if (why) throw new Error(`cannot run a lab here: ${why}`);
  if (command === 'down') {
    const removed = await stopLab({ dir, waitMs });
    console.log(`lab down: ${describeRemoved(removed)}`);
    return;
  }
  const lab = await startLab({ hosts, dir, waitMs });
  await lab.detach();
  if (lab.replaced.namespaces.length > 0 || lab.replaced.processes > 0) console.log(`lab up: first ${describeRemoved(lab.replaced)}`);
  const front = lab.hosts.filter((h) => !h.behindBastion).map((h) => h.name);
  const back = lab.hosts.filter((h) => h.behindBastion).map((h) => h.name);
  console.log(`lab up: ${lab.hosts.length} host${lab.hosts.length === 1 ? '' : 's'} and a bastion in ${(lab.bringUpMs / 1000).toFixed(1)} s`);
  console.log(`  front 198.51.100.0/24: ${names(front)}; behind the bastion, 203.0.113.0/24: ${names(back)}`);
  console.log(`  files in ${lab.dir}: ssh_config known_hosts inventory.yaml lab.json id_ed25519`);
  console.log(`  try: ssh -F ${lab.client.sshConfig} ${lab.hosts[0]!.name} hostname; npm run lab:down removes it all`);
}

main().catch((err: unknown) => {
  console.error(`lab: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
