// A host's effective ssh configuration, as OpenSSH itself computes it
// (`ssh -G`: the user's ~/.ssh/config, Match blocks, Include, defaults), so
// Modus never reimplements ssh_config's rules. Used to know the real address,
// user and port (for `modus hosts` and messages), and which of Modus's
// defaults the user already decided otherwise.

import { runSsh } from './ssh-client.js';
import { destinationArgs, type SshDestination } from './destination.js';

export interface EffectiveConfig {
  hostname: string;
  user: string;
  port: number;
  /** `none` when unset. */
  proxyJump: string;
  /** yes, no, auto, ask, autoask (ssh -G prints true/false/auto…). */
  controlMaster: string;
  /** `none` when unset. */
  controlPath: string;
  /** Seconds; null when unset (`none`). */
  connectTimeout: number | null;
  serverAliveInterval: number;
  /** Every keyword ssh printed, lower case, first value. */
  all: Map<string, string>;
}

/** Parses `ssh -G` output. */
export function parseEffectiveConfig(text: string): EffectiveConfig {
  const all = new Map<string, string>();
  for (const line of text.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp <= 0) continue;
    const key = line.slice(0, sp).toLowerCase();
    if (!all.has(key)) all.set(key, line.slice(sp + 1).trim());
  }
  const num = (k: string): number | null => {
    const v = all.get(k);
    return v === undefined || v === 'none' || !/^\d+$/.test(v) ? null : Number(v);
  };
  return {
    hostname: all.get('hostname') ?? '',
    user: all.get('user') ?? '',
    port: num('port') ?? 22,
    proxyJump: all.get('proxyjump') ?? 'none',
    controlMaster: all.get('controlmaster') ?? 'false',
    controlPath: all.get('controlpath') ?? 'none',
    connectTimeout: num('connecttimeout'),
    serverAliveInterval: num('serveraliveinterval') ?? 0,
    all,
  };
}

/** True when the user's own config multiplexes this host (their master, if up, is used as is). */
export function userMultiplexes(c: EffectiveConfig): boolean {
  return c.controlPath !== 'none' && !['false', 'no'].includes(c.controlMaster);
}

/** `ssh -G` for a destination; `configFile` is `-F` (tests and labs), else the user's own. */
export async function effectiveConfig(d: SshDestination, configFile?: string): Promise<EffectiveConfig> {
  const args = [...(configFile ? ['-F', configFile] : []), '-G', ...destinationArgs(d)];
  const r = await runSsh(args, { timeoutMs: 10_000 });
  if (r.code !== 0) {
    const why = r.stderr.trim().split('\n').filter(Boolean).slice(-3).join('; ') || `ssh -G exited with ${r.code ?? r.signal}`;
    throw new Error(`cannot read the ssh configuration for ${d.host}: ${why}`);
  }
  return parseEffectiveConfig(r.stdout);
}
