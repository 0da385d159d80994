// How many block clients (an ssh each, three pipes in Modus) may run at once
// without running out of open files. Node raises its soft open-file limit to
// the hard one, so this only binds where the hard limit is low (a container
// or a service started with `ulimit -Hn 1024`): there a block on 300 hosts
// at `:parallel 300` made Modus fail to start ssh for the hosts past the
// limit. With the budget, the hosts past it wait for a client to end, and
// say why.

import { openFiles } from '../../files/spawn-checked.js';

/** Files a running block client holds in Modus (stdin, stdout and stderr pipes), with one to spare. */
const FILES_PER_CLIENT = 4;
/**
 * Files kept for all else a run opens while its clients run: the notebook
 * and journal writes, the spool of a big output, `ssh -G`'s batch (nine
 * pipes), the masters being set up, the clients that stop blocks, the
 * askpass socket and its connections.
 */
const RESERVE = 48;

export interface ClientBudget {
  clients: number;
  /** Why a host waits for a client, when the budget is what holds it back. */
  why: string;
}

/** The budget for the files left now; unbounded where /proc does not tell (spawnChecked still says what happened). */
export function clientBudget(files = openFiles()): ClientBudget {
  if (files === null) return { clients: Number.MAX_SAFE_INTEGER, why: '' };
  const clients = Math.max(1, Math.floor((files.limit - files.open - RESERVE) / FILES_PER_CLIENT));
  return {
    clients,
    why: `waiting for ${clients === 1 ? 'the one ssh client' : `one of the ${clients} ssh clients`} the open-file limit allows at once (ulimit -n ${files.limit}; raise it to run more hosts at once)`,
  };
}
