// A host's effective ssh configuration, as OpenSSH itself computes it
// (`ssh -G`: the user's ~/.ssh/config, Match blocks, Include, defaults), so
// Modus never reimplements ssh_config's rules. Used to know the real address,
// user and port (for `modus hosts` and messages), and which of Modus's
// defaults the user already decided otherwise.

import type { Readable } from 'node:stream';
import { spawnChecked } from '../../files/spawn-checked.js';
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

/** `ssh -G`s that run at once in a batch: each in its own subshell writing to its own pipe. */
const BATCH_WORKERS = 8;
/** A whole status line, newline included: a chunk may end inside one. */
const STATUS_LINE = /^modus-ssh-G-status (\d+)\n/m;

/** Splits a worker's output, as it arrives, into each host's `ssh -G` text and exit status. */
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
 * One sh, W workers: worker k (a subshell) takes hosts k, k+W, k+2W… and
 * writes to its own pipe (stdout for the first, fd k+2 for the others), so
 * outputs never interleave. Four words per host (address or empty, port or
 * empty, user or empty, host), validated names only, passed as argv
 * ("$1"…), never as shell text. Each host's config is followed by a status
 * line. Workers in parallel get the first hosts of a big block their
 * configuration sooner than one loop would (under load, each ssh -G waits
 * its turn for the CPU with every client already connecting).
 */
const BATCH_SCRIPT = [
  'ssh=$1; cfg=$2; w=$3; shift 3',
  'k=0',
  'while [ $k -lt $w ]; do',
  '  fd=1; [ $k -gt 0 ] && fd=$((k + 2))',
  '  (',
  '    i=0',
  '    while [ $# -ge 4 ]; do',
  '      if [ $((i % w)) -eq $k ]; then',
  '        "$ssh" ${cfg:+-F "$cfg"} -G ${1:+-o "HostName=$1"} ${2:+-p "$2"} ${3:+-l "$3"} -- "$4" 2>&1',
  '        echo "modus-ssh-G-status $?"',
  '      fi',
  '      i=$((i + 1)); shift 4',
  '    done',
  '  ) >&$fd &',
  '  k=$((k + 1))',
  'done',
  'wait',
].join('\n');

/**
 * Runs one batch; `settle(i, …)` is called for each host as soon as its
 * status line is in, so the first hosts start connecting while ssh -G still
 * reads the configuration of the others.
 */
function runBatch(dests: SshDestination[], configFile: string | undefined, settle: (i: number, r: EffectiveConfig | Error) => void): Promise<void> {
  const workers = Math.min(BATCH_WORKERS, dests.length);
  const argv = [sshBinary(), configFile ?? '', String(workers), ...dests.flatMap((d) => [d.hostname !== undefined ? sshHost({ host: d.hostname }) : '', d.port !== undefined ? String(d.port) : '', d.user ?? '', sshHost(d)])];
  return new Promise((resolve, reject) => {
    const extra: 'pipe'[] = Array.from({ length: workers - 1 }, () => 'pipe');
    const child = spawnChecked('ssh -G (reading the ssh configuration)', '/bin/sh', ['-c', BATCH_SCRIPT, 'sh', ...argv], { stdio: ['ignore', 'pipe', 'ignore', ...extra] });
    const settled = new Set<number>();
    for (let k = 0; k < workers; k++) {
      const out = child.stdio[k === 0 ? 1 : k + 2] as Readable;
      const reader = new BatchOutputReader();
      let next = k;
      out.setEncoding('utf8');
      out.on('data', (chunk: string) => {
        for (const { text, status } of reader.push(chunk)) {
          if (next >= dests.length) return;
          const d = dests[next]!;
          settled.add(next);
          settle(next, status === 0 ? parseEffectiveConfig(text) : new Error(`cannot read the ssh configuration for ${d.host}: ${text.trim().split('\n').slice(-3).join('; ') || `ssh -G exited with ${status}`}`));
          next += workers;
        }
      });
    }
    child.on('error', reject);
    child.on('close', () => {
      dests.forEach((d, i) => {
        if (!settled.has(i)) settle(i, new Error(`cannot read the ssh configuration for ${d.host}: ssh -G gave no answer`));
      });
      resolve();
    });
  });
}

/**
 * `ssh -G` for many hosts with one process: the requests of one turn of the
 * event loop go out together to one sh. Spawning is what costs Modus most
 * per host (a fork of a big process, which also blocks its event loop), so
 * 200 hosts cost one spawn instead of 200.
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
    if (all.length === 0) return;
    // A missing ssh throws while the batch is built: it must reject the batch, not escape the event loop.
    Promise.resolve()
      .then(() => runBatch(all.map((b) => b.dest), this.configFile, (j, r) => (r instanceof Error ? all[j]!.reject(r) : all[j]!.resolve(r))))
      .catch((e: Error) => all.forEach((b) => b.reject(e)));
  }
}
