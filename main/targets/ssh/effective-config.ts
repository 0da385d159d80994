// A host's effective ssh configuration, as OpenSSH itself computes it
// (`ssh -G`: the user's ~/.ssh/config, Match blocks, Include, defaults), so
// Modus never reimplements ssh_config's rules. Used to know the real address,
// user and port (for `modus hosts` and messages), and which of Modus's
// defaults the user already decided otherwise.

import { spawn } from 'node:child_process';
import { sshBinary } from './ssh-client.js';
import { destinationProblem, sshHost, type SshDestination } from './destination.js';

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

/** Hosts per `ssh -G` batch: a few batches run side by side, each a loop in one sh. */
const BATCH_HOSTS = 16;
/** A whole status line, newline included: a chunk may end inside one. */
const STATUS_LINE = /^modus-ssh-G-status (\d+)\n/m;

/** Splits a batch's output, as it arrives, into each host's `ssh -G` text and exit status. */
export class BatchOutputReader {
  private rest = '';

  push(chunk: string): { text: string; status: number }[] {
    this.rest += chunk;
    const done: { text: string; status: number }[] = [];
    let m: RegExpExecArray | null;
    while ((m = STATUS_LINE.exec(this.rest)) !== null) {
      done.push({ text: this.rest.slice(0, m.index), status: Number(m[1]) });
      this.rest = this.rest.slice(m.index + m[0].length);
    }
    return done;
  }
}

/**
 * Loops over hosts in one sh: four words per host (address or empty, port
 * or empty, user or empty, host), validated names only, passed as argv
 * ("$1"…), never as shell text. Each host's config is followed by a status
 * line.
 */
const BATCH_SCRIPT = [
  'ssh=$1; cfg=$2; shift 2',
  'while [ $# -ge 4 ]; do',
  '  n=$1; p=$2; u=$3; h=$4; shift 4',
  '  "$ssh" ${cfg:+-F "$cfg"} -G ${n:+-o "HostName=$n"} ${p:+-p "$p"} ${u:+-l "$u"} -- "$h" 2>&1',
  '  echo "modus-ssh-G-status $?"',
  'done',
].join('\n');

/**
 * Runs one batch; `settle(i, …)` is called for each host as soon as its
 * status line is in, so the first hosts of a batch start connecting while
 * ssh -G still reads the configuration of the others.
 */
function runBatch(dests: SshDestination[], configFile: string | undefined, settle: (i: number, r: EffectiveConfig | Error) => void): Promise<void> {
  const argv = [sshBinary(), configFile ?? '', ...dests.flatMap((d) => [d.hostname !== undefined ? sshHost({ host: d.hostname }) : '', d.port !== undefined ? String(d.port) : '', d.user ?? '', sshHost(d)])];
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', BATCH_SCRIPT, 'sh', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    const reader = new BatchOutputReader();
    let next = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      for (const { text, status } of reader.push(chunk)) {
        if (next >= dests.length) return;
        const d = dests[next]!;
        settle(next++, status === 0 ? parseEffectiveConfig(text) : new Error(`cannot read the ssh configuration for ${d.host}: ${text.trim().split('\n').slice(-3).join('; ') || `ssh -G exited with ${status}`}`));
      }
    });
    child.on('error', reject);
    child.on('close', () => {
      for (; next < dests.length; next++) settle(next, new Error(`cannot read the ssh configuration for ${dests[next]!.host}: ssh -G gave no answer`));
      resolve();
    });
  });
}

/**
 * \`ssh -G\` for many hosts with few processes: the requests of one turn of
 * the event loop go out together, BATCH_HOSTS per sh. Spawning is what
 * costs Modus most per host (a fork of a big process), so 200 hosts cost a
 * dozen spawns instead of 200.
 */
export class EffectiveConfigBatcher {
  private queue: { dest: SshDestination; resolve: (c: EffectiveConfig) => void; reject: (e: Error) => void }[] = [];
  private scheduled = false;

  constructor(private readonly configFile?: string) {}

  get(dest: SshDestination): Promise<EffectiveConfig> {
    const problem = destinationProblem(dest);
    if (problem) return Promise.reject(new Error(problem));
    return new Promise((resolve, reject) => {
      this.queue.push({ dest, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const all = this.queue;
    this.queue = [];
    for (let i = 0; i < all.length; i += BATCH_HOSTS) {
      const batch = all.slice(i, i + BATCH_HOSTS);
      // A missing ssh throws while the batch is built: it must reject the batch, not escape the event loop.
      Promise.resolve().then(() => runBatch(batch.map((b) => b.dest), this.configFile, (j, r) => (r instanceof Error ? batch[j]!.reject(r) : batch[j]!.resolve(r)))).catch(
        (e: Error) => batch.forEach((b) => b.reject(e)),
      );
    }
  }
}
