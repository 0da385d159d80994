// A Junos device's NETCONF port: the inventory's; else a Port the user's ssh
// config sets for the host (anything but ssh's default 22: a `Host edge1`
// entry with `Port 830`, or a lab's forwarded port); else 830, NETCONF over
// SSH's own (RFC 6242). Shared by the run (ssh-link.ts) and `modus hosts`.

import type { EffectiveConfig } from '../ssh/effective-config.js';

export const NETCONF_PORT = 830;
const SSH_DEFAULT_PORT = 22;

/** The port when the inventory gives none, from the host's effective ssh config (`ssh -G` without -p). */
export function netconfPortFrom(cfg: EffectiveConfig): number {
  return cfg.port !== SSH_DEFAULT_PORT ? cfg.port : NETCONF_PORT;
}
