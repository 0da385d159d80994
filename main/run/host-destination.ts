// Where a run's ssh goes for a host. `modus hosts` shows each host through
// this same function, so what it prints is what a run does (it once ran
// `ssh -G` on a Junos device's address while the run went to the name, and
// showed another user, port and ProxyJump than the run used).

import type { SshDestination } from '../targets/ssh/destination.js';
import type { HostSpec } from '../targets/target.js';

/** The ssh destination of a host that is not local: a Junos device's or a Linux host's. */
export function hostDestination(host: HostSpec): SshDestination {
  return host.platform === 'junos' ? junosDestination(host) : sshHostDestination(host);
}

/** A Linux host: the inventory's address when it gives one, else the name as ssh config resolves it. */
function sshHostDestination(host: HostSpec): SshDestination {
  return {
    host: host.address ?? nameOf(host),
    ...(host.user !== undefined ? { user: host.user } : {}),
    ...(host.port !== undefined ? { port: host.port } : {}),
  };
}

/**
 * A Junos device is reached by its name, with the inventory's address as
 * HostName: the user's ssh config for the name (identity, known hosts,
 * ProxyJump) applies, and the inventory says where it is. The port, when the
 * inventory gives none, is chosen later from ssh config (netconf-port.ts).
 */
function junosDestination(host: HostSpec): SshDestination {
  return {
    host: nameOf(host),
    ...(host.address !== undefined ? { hostname: host.address } : {}),
    ...(host.user !== undefined ? { user: host.user } : {}),
    ...(host.port !== undefined ? { port: host.port } : {}),
  };
}

/** The host name of a label (`netops@r1` when one name is reached as two users). */
function nameOf(host: HostSpec): string {
  return host.label.replace(/^.*@/, '');
}
