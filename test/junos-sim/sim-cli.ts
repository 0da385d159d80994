// `npm run junos-sim -- [--port N] [--devices N] [--dir DIR] [--base11]`:
// simulated Junos routers for anyone without one. Prints where the
// ssh_config and inventory are and how to connect, and runs until Ctrl+C
// (or SIGTERM), then stops sshd and everything it started.

import { readFileSync } from 'node:fs';
import { junosSimAvailable, startJunosSim, type JunosSimDeviceSpec } from './harness.js';

const USAGE = `usage: sim-cli.js [--port N] [--devices N] [--dir DIR] [--config FILE] [--base11]
  --port N     the first device's SSH/NETCONF port (the others follow: N+1, N+2…); default: free ports
  --devices N  how many devices, named r1…rN (1 to 64, default 1)
  --dir DIR    where keys, sockets, ssh_config and inventory go (default $MODUS_JUNOS_SIM_DIR or /tmp/modus-junos-sim)
  --config F   every device starts with this configuration (curly text) instead of the built-in one
  --base11     also offer base:1.1 (chunked framing), as "set system services netconf rfc-compliant" would`;

interface Options {
  port?: number;
  devices: number;
  dir: string;
  config?: string;
  base11: boolean;
}

function parse(argv: string[]): Options {
  const o: Options = { devices: 1, dir: process.env.MODUS_JUNOS_SIM_DIR || '/tmp/modus-junos-sim', base11: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    const integer = (min: number, max: number) => {
      const v = value();
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < min || n > max) throw new Error(`${flag} takes a number from ${min} to ${max}, not ${JSON.stringify(v)}\n${USAGE}`);
      return n;
    };
    if (flag === '--port') o.port = integer(1, 65535);
    else if (flag === '--devices') o.devices = integer(1, 64);
    else if (flag === '--dir') o.dir = value();
    else if (flag === '--config') o.config = value();
    else if (flag === '--base11') o.base11 = true;
    else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  if (o.port !== undefined && o.port + o.devices - 1 > 65535) throw new Error(`ports ${o.port}…${o.port + o.devices - 1} go past 65535`);
  return o;
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  const why = junosSimAvailable();
  if (why) throw new Error(`cannot run here: ${why}`);
  const config = o.config === undefined ? undefined : readFileSync(o.config, 'utf8');
  const devices: JunosSimDeviceSpec[] = Array.from({ length: o.devices }, (_, i) => ({ name: `r${i + 1}`, config }));
  const sim = await startJunosSim({ dir: o.dir, devices, port: o.port, base11: o.base11, clock: 'real' });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    sim.stop().then(
      () => {
        console.log(`junos-sim: stopped (${signal})`);
        process.exit(0);
      },
      (err: unknown) => {
        console.error(`junos-sim: stopping failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const first = [...sim.devices.values()][0]!;
  console.log(`junos-sim: ${sim.devices.size} simulated Junos device${sim.devices.size === 1 ? '' : 's'} on 127.0.0.1, one sshd (pid ${sim.sshd.pid() ?? '?'})`);
  for (const d of sim.devices.values()) console.log(`  ${d.name.padEnd(4)} port ${d.port}`);
  console.log(`  ssh_config: ${sim.sshConfig}`);
  console.log(`  inventory:  ${sim.inventory}`);
  console.log(`  identity:   ${sim.identity}`);
  console.log(`  try: ssh -F ${sim.sshConfig} -s ${first.name} netconf`);
  console.log(`       (NETCONF, ]]>]]> framing${o.base11 ? ', base:1.1 chunks when the client offers it' : ''}; send a <hello>, then <rpc>s)`);
  console.log('  Ctrl+C stops it.');
}

main().catch((err: unknown) => {
  console.error(`junos-sim: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
