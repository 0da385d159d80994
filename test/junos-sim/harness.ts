// Starts the Junos simulator: the daemon holding the devices (in this
// process, so tests reach their state and clock), and one real OpenSSH sshd
// listening on one port per device, whose `netconf` subsystem joins each
// session to the daemon (netconf-connector.c, or netconf-subsystem.js
// without a C compiler). Writes the client side: key, known_hosts, an
// ssh_config with a `Host NAME` per device, and an inventory.
//
//   const sim = await startJunosSim({ dir, devices: [{ name: 'r1' }], clock: 'manual' });
//   ssh -F sim.sshConfig -s r1 netconf
//   await sim.stop();

import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeClient, sshdAvailable, startSshd, stopSshd, type SshdHost } from '../helpers/sshd.js';
import { ManualClock, RealClock, type SimClock } from './clock.js';
import { SimDaemon } from './daemon.js';
import { defaultConfig } from './default-config.js';
import { nativeConnector } from './native-connector.js';
import { SimDeviceRuntime } from './sim-device.js';

export type { SimFault } from './faults.js';
export type { SimDevice } from './sim-device.js';

export interface JunosSimDeviceSpec {
  name: string;
  /** initial active configuration, curly text (default: a small edge router, see default-config.ts) */
  config?: string;
}

export interface JunosSimOptions {
  /** everything under here (keys, sockets, configs, logs) */
  dir: string;
  devices: JunosSimDeviceSpec[];
  /** manual: nothing times out until advanceClock */
  clock?: 'real' | 'manual';
  /** also offer base:1.1 (chunked framing) in the hello; default false like real Junos */
  base11?: boolean;
  /** Manual clock only: where time starts (default: the real time when the simulator starts). */
  clockStart?: Date;
  /** The first device's port; the others follow (default: free ports). */
  port?: number;
  /**
   * The `netconf` subsystem sshd starts: netconf-connector.c built here
   * (native, the default when a C compiler is there), or netconf-subsystem.js
   * (node: a Node start per session). They behave the same.
   */
  connector?: 'native' | 'node';
}

export interface JunosSim {
  /** ssh_config with one `Host NAME` per device: HostName 127.0.0.1, Port, User root, IdentityFile, UserKnownHostsFile, StrictHostKeyChecking yes, IdentitiesOnly yes */
  sshConfig: string;
  /** inventory YAML: hosts NAME: { address: 127.0.0.1, port: P, platform: junos } */
  inventory: string;
  knownHosts: string;
  /** client private key */
  identity: string;
  /** by name */
  devices: Map<string, SimDeviceRuntime>;
  /** manual clock: fires commit-confirmed rollbacks etc. */
  advanceClock(ms: number): Promise<void>;
  /** sshd, daemon, sockets: nothing left running */
  stop(): Promise<void>;
  /** The daemon's Unix socket. */
  socket: string;
  /** The sshd serving every device. */
  sshd: SshdHost;
  /** Which `netconf` subsystem sshd starts (JunosSimOptions.connector). */
  connector: 'native' | 'node';
}

/** Why the simulator cannot run here (it needs a real sshd), or null. */
export function junosSimAvailable(): string | null {
  return sshdAvailable();
}

/**
 * What makes the sshd answer like a router's rather than like a Linux box's:
 *  - the key exchanges Junos 21.4 offers (`set system services ssh
 *    key-exchange`: curve25519-sha256, ecdh-sha2-nistp256/384/521,
 *    group-exchange-sha2, dh-group14-sha1), not OpenSSH 9's post-quantum
 *    sntrup761x25519 default, which Junos does not have (and which costs
 *    about 60 ms of CPU per connection on each side, on the 2-core build
 *    machine);
 *  - no Linux user's shell start-up files: sshd runs a subsystem through the
 *    user's shell, and Debian's bash sources ~/.bashrc for any command sshd
 *    starts unless it believes it is nested (SHLVL). A router's NETCONF
 *    process runs no such file; a heavy one (pyenv init: about 95 ms of CPU)
 *    would otherwise be paid by every simulated NETCONF session.
 */
const ROUTER_SSHD = [
  'KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group14-sha1',
  'SetEnv SHLVL=1',
];

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

function unquotedPath(path: string): string {
  // The sshd_config Subsystem line and the ssh_config are split on blanks; %-tokens expand.
  if (/[\s"'%\\]/.test(path)) throw new Error(`the Junos simulator needs paths without blanks, quotes, % or \\: ${path}`);
  return path;
}

export async function startJunosSim(o: JunosSimOptions): Promise<JunosSim> {
  const why = junosSimAvailable();
  if (why) throw new Error(`the Junos simulator cannot run here: ${why}`);
  if (o.devices.length === 0) throw new Error('the Junos simulator needs at least one device');
  const names = new Set<string>();
  for (const d of o.devices) {
    if (!NAME.test(d.name)) throw new Error(`not a usable device name: ${JSON.stringify(d.name)}`);
    if (names.has(d.name)) throw new Error(`two devices are named ${d.name}`);
    names.add(d.name);
  }
  const dir = unquotedPath(resolve(o.dir));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const manual = o.clock === 'manual' ? new ManualClock((o.clockStart ?? new Date()).getTime()) : null;
  const clock: SimClock = manual ?? new RealClock();
  let sessionIds = 31000 + (process.pid % 1000) * 10;
  const devices = new Map<string, SimDeviceRuntime>();
  o.devices.forEach((spec, i) => devices.set(spec.name, new SimDeviceRuntime(spec.name, 0, clock, spec.config ?? defaultConfig(spec.name, i), () => ++sessionIds)));
  const byPort = new Map<number, SimDeviceRuntime>();

  const socket = join(dir, 'netconf.sock');
  const daemon = new SimDaemon(socket, (port) => byPort.get(port), o.base11 ?? false);
  await daemon.listen();
  const native = o.connector === 'node' ? null : await nativeConnector(dir);
  const connector = native ? 'native' : 'node';
  const subsystem = native ? unquotedPath(native) : `${unquotedPath(process.execPath)} ${unquotedPath(fileURLToPath(new URL('./netconf-subsystem.js', import.meta.url)))}`;
  let sshd: SshdHost;
  try {
    sshd = await startSshd({
      dir: join(dir, 'sshd'),
      name: 'junos-sim',
      port: o.port,
      additionalPorts: o.port === undefined ? o.devices.length - 1 : o.devices.slice(1).map((_, i) => o.port! + i + 1),
      extraConfig: [`Subsystem netconf ${subsystem} ${socket}`, ...ROUTER_SSHD],
    });
  } catch (err) {
    await daemon.close();
    throw err;
  }
  const ports = [sshd.port, ...sshd.additionalPorts];
  [...devices.values()].forEach((d, i) => {
    d.port = ports[i]!;
    byPort.set(d.port, d);
  });

  const client = await makeClient(join(dir, 'client'), [sshd]);
  const knownHosts = join(dir, 'known_hosts');
  const sshConfig = join(dir, 'ssh_config');
  const inventory = join(dir, 'inventory.yaml');
  await writeFile(knownHosts, ports.map((p) => `[127.0.0.1]:${p} ${sshd.hostPublicKey}\n`).join(''), { mode: 0o600 });
  const hostBlocks = [...devices.values()].map((d) =>
    [
      `Host ${d.name}`,
      '  HostName 127.0.0.1',
      `  Port ${d.port}`,
      '  User root',
      `  IdentityFile ${unquotedPath(client.key)}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${knownHosts}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '',
    ].join('\n'),
  );
  await writeFile(sshConfig, `# Junos simulator devices, written by test/junos-sim/harness.ts\n\n${hostBlocks.join('\n')}`, { mode: 0o600 });
  const inventoryHosts = [...devices.values()].map((d) => `  ${d.name}: { address: 127.0.0.1, port: ${d.port}, platform: junos }`);
  await writeFile(inventory, `# Junos simulator devices, written by test/junos-sim/harness.ts\nhosts:\n${inventoryHosts.join('\n')}\n`, { mode: 0o600 });

  let stopped = false;
  return {
    sshConfig,
    inventory,
    knownHosts,
    identity: client.key,
    devices,
    socket,
    sshd,
    connector,
    async advanceClock(ms: number): Promise<void> {
      if (!manual) throw new Error('advanceClock needs the simulator started with clock: "manual"');
      manual.advance(ms);
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      for (const d of devices.values()) d.dispose();
      await daemon.close();
      await stopSshd(sshd, { sessions: true });
    },
  };
}

