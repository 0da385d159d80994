// The engine: runs planned blocks on their targets and writes what they
// printed back into the notebook. One engine for every host application (CLI,
// web host, Electron): they supply a TargetResolver, a confirm() callback and
// an event listener, nothing else.
//
// Scheduling: blocks start in document order. With jobs = 1 each block waits
// for the one before. With jobs = N > 1 up to N blocks run at once, except
// that a block waits for every earlier block of the same :session (per host),
// and a :confirm block waits for every earlier block (a question is asked
// only once what came before is done, its results written). After a block
// that does not pass, no further block starts (unless keepGoing); running
// ones finish.
//
// Sessions: by default a run opens its :session shells and ends them (with
// every connection) when it is over, as `modus run` does. A host application
// may keep them (`keep`): the app keeps one pool and one resolver per open
// notebook, so a session outlives a run and can be taken over by hand
// between runs (a run then waits for it: `host-waiting`).
//
// Writing results: with jobs = 1 a block starts once the one before is on
// disk. With jobs > 1 a block's slot is free once it has run, and its
// results land while the next ones run: the notebook file writes everything
// that arrived meanwhile in one go, so a big notebook (a 2 MB rewrite per
// write) costs no more per block than a small one. At most
// MAX_UNWRITTEN_BLOCKS wait to be written (a stalled disk stops the run).

import { setMaxListeners } from 'node:events';
import type { Status, ResultEntry } from '../notebook/types.js';
import { appendJournalRecord } from './journal.js';
import type { HostSpec, ScriptRunner, TargetResolver } from '../targets/target.js';
import type { NotebookFile, WriteOutcome } from './notebook-file.js';
import type { PlannedBlock } from './plan.js';
import { redactText } from './redact.js';
import { rawOutputOf } from './raw-output.js';
import { formatDuration, runOnHost, type HostRunResult } from './run-host.js';
import { RAN_HASH_ATTR, ranHash } from './ran-hash.js';
import { SessionPool } from './session-pool.js';

export const LOCAL_HOST = 'local';

/** The label a host's results carry: `local` for this machine. */
export function hostLabel(h: HostSpec): string {
  return h.local ? LOCAL_HOST : h.label;
}

/** The labels of the hosts a block runs on (`local` when it names none). */
export function blockHostLabels(p: PlannedBlock): string[] {
  return p.hosts.length > 0 ? p.hosts.map(hostLabel) : [LOCAL_HOST];
}

export interface ConfirmRequest {
  number: number;
  lang: string;
  name: string | null;
  hosts: string[];
  script: string;
}

/** `yes` runs it; `no` means the user declined (status cancelled); `error` means nobody could be asked. */
export type ConfirmAnswer = 'yes' | 'no' | { error: string };

export type RunEvent =
  | { kind: 'block-start'; number: number; lang: string; hosts: string[] }
  | { kind: 'host-start'; number: number; lang: string; host: string; at: Date }
  | { kind: 'host-output'; number: number; host: string; bytes: Uint8Array }
  /** The host's run waits for its session, held by hand: why; null once it runs. */
  | { kind: 'host-waiting'; number: number; host: string; why: string | null }
  | { kind: 'host-end'; number: number; lang: string; host: string; result: HostRunResult }
  /** `entries`: the results blocks written (or meant to be) under the block, null with `:results silent` or --no-write. */
  | { kind: 'block-end'; number: number; status: Status; write: WriteOutcome | null; entries: ResultEntry[] | null; mode: 'replace' | 'append' }
  | { kind: 'problem'; number?: number; message: string };

export interface EngineOptions {
  notebook: NotebookFile;
  blocks: PlannedBlock[];
  resolver: TargetResolver;
  /**
   * The host application keeps the resolver and these sessions after the run
   * (and disposes them itself). Absent: the run disposes the resolver, which
   * ends its sessions and connections.
   */
  keep?: { sessions: SessionPool };
  /** Aborting cancels running blocks (status cancelled, results written) and starts no more. */
  signal: AbortSignal;
  jobs?: number;
  keepGoing?: boolean;
  /** False: results go to the journal only (--no-write). */
  write?: boolean;
  /** False: no journal records (tests of other parts). Default true. */
  journal?: boolean;
  confirm(q: ConfirmRequest): Promise<ConfirmAnswer>;
  onEvent?(e: RunEvent): void;
  /** Terminal width programs see and capture uses. */
  cols?: number;
}

/** What the summary keeps of a host's run: not its text or raw output, so a run of 20,000 blocks holds none of them. */
export type HostOutcome = Pick<HostRunResult, 'host' | 'status' | 'exitCode' | 'message' | 'pendingRollback'>;

export interface BlockOutcome {
  number: number;
  status: Status;
  hosts: HostOutcome[];
  write: WriteOutcome | null;
}

export interface RunSummary {
  blocks: BlockOutcome[];
  /** Results or journal records that could not be written. */
  problems: string[];
  /** True when every block that ran passed and nothing was lost. */
  ok: boolean;
}

const MAX_UNWRITTEN_BLOCKS = 256;

const STATUS_WEIGHT: Record<Status, number> = { pass: 0, fail: 1, cancelled: 2, timeout: 3, error: 4 };

function hostOutcome(r: HostRunResult): HostOutcome {
  return {
    host: r.host, status: r.status, exitCode: r.exitCode,
    ...(r.message !== undefined ? { message: r.message } : {}), ...(r.pendingRollback !== undefined ? { pendingRollback: r.pendingRollback } : {}),
  };
}

export async function runBlocks(options: EngineOptions): Promise<RunSummary> {
  // Every running host listens for cancel (and stops listening when it ends): a block on 200 hosts is not a leak.
  setMaxListeners(0, options.signal);
  const jobs = Math.max(1, options.jobs ?? 1);
  const sessions = options.keep?.sessions ?? new SessionPool();
  const outcomes: BlockOutcome[] = [];
  const problems: string[] = [];
  /** Blocks holding a job slot: running. */
  const running = new Set<Promise<void>>();
  /** Blocks not finished: running, or their results not yet written. */
  const landing = new Set<Promise<void>>();
  let stopped = false;
  let confirmQueue: Promise<unknown> = Promise.resolve();

  const emit = (e: RunEvent): void => options.onEvent?.(e);
  const problem = (message: string, number?: number): void => {
    problems.push(message);
    emit(number === undefined ? { kind: 'problem', message } : { kind: 'problem', number, message });
  };

  const askConfirmation = (p: PlannedBlock, hosts: string[]): Promise<ConfirmAnswer> => {
    const next = confirmQueue.then(() => options.confirm({ number: p.number, lang: p.block.lang, name: p.args.name, hosts, script: p.script }));
    confirmQueue = next.catch(() => undefined);
    return next;
  };

  /** Runs `p` and writes its results; `ran` is called once the block has run, before the write. */
  const runOne = async (p: PlannedBlock, ran: () => void): Promise<void> => {
    /** One per host: null when its record is in the journal, else why not. */
    const journaling: Promise<string | null>[] = [];
    const hostNames = p.hosts.length > 0 ? p.hosts : [undefined];
    const labels = hostNames.map((h) => h?.label ?? LOCAL_HOST);
    emit({ kind: 'block-start', number: p.number, lang: p.block.lang, hosts: labels });
    let refusal: { status: Status; message: string } | null = null;
    if (p.args.confirm && !options.signal.aborted) {
      const answer = await askConfirmation(p, labels);
      if (answer === 'no') refusal = { status: 'cancelled', message: 'not run: confirmation declined' };
      else if (answer !== 'yes') refusal = { status: 'error', message: answer.error };
    }
    // Every host's target is resolved as the block starts, not as its turn comes: targets made together can prepare together (the SSH target reads all the hosts' ssh configuration from one process instead of one per host).
    if (!refusal && !options.signal.aborted) for (const host of hostNames) options.resolver.resolve(host);
    const results = await mapPool(hostNames, p.args.parallel, async (host, i) => {
      const label = labels[i]!;
      const at = new Date();
      emit({ kind: 'host-start', number: p.number, lang: p.block.lang, host: label, at });
      let result: HostRunResult;
      if (refusal) result = notRun(label, refusal.status, refusal.message);
      else if (options.signal.aborted) result = notRun(label, 'cancelled', 'cancelled before it started');
      else {
        const resolved = options.resolver.resolve(host);
        if ('error' in resolved) result = notRun(label, 'error', resolved.error);
        else {
          let runner: ScriptRunner = resolved;
          if (p.args.session !== null) runner = await sessions.open(resolved, p.args.session, options.cols ? { cols: options.cols } : {});
          result = await runOnHost({
            host: label,
            runner,
            request: {
              language: p.block.lang, script: p.script,
              ...(p.args.dir !== null ? { cwd: p.args.dir } : {}), ...(options.cols ? { cols: options.cols } : {}), ...(p.junos ? { junos: p.junos } : {}),
            },
            timeoutMs: p.args.timeoutMs,
            expect: p.args.expect,
            expectXpath: p.args.expectXpath,
            expectExit: p.args.expectExit,
            redact: p.args.redact,
            signal: options.signal,
            onOutput: (bytes) => emit({ kind: 'host-output', number: p.number, host: label, bytes }),
            onWaiting: (why) => emit({ kind: 'host-waiting', number: p.number, host: label, why }),
          });
        }
      }
      emit({ kind: 'host-end', number: p.number, lang: p.block.lang, host: label, result });
      // The journal record and the notebook write are independent: they go to disk at the same time.
      if (options.journal !== false) {
        journaling.push(
          record(p, result).then(
            () => null,
            (e: Error) => {
              problem(e.message, p.number);
              return e.message;
            },
          ),
        );
      }
      return result;
    });
    const status = results.reduce<Status>((worst, r) => (STATUS_WEIGHT[r.status] > STATUS_WEIGHT[worst] ? r.status : worst), 'pass');
    if (status !== 'pass' && !options.keepGoing) stopped = true;
    ran();
    let write: WriteOutcome | null = null;
    let entries: ResultEntry[] | null = null;
    const mode = p.args.results === 'append' ? 'append' : 'replace';
    if (options.write !== false && p.args.results !== 'silent') {
      // With one job the next block waits for this write: it must not wait to be batched.
      const what = { lang: p.block.lang, script: p.script, args: p.args };
      entries = results.map((r, i) => resultEntry(r, ranHash(what, hostNames[i])));
      write = await options.notebook.writeResults(p.identity, entries, mode, { mayWait: jobs > 1 });
    }
    const unjournaled = (await Promise.all(journaling)).filter((why) => why !== null);
    if (write && !write.written) problem(`${write.message}; ${whereTheResultsAre(options, unjournaled)}`, p.number);
    outcomes.push({ number: p.number, status, hosts: results.map(hostOutcome), write });
    emit({ kind: 'block-end', number: p.number, status, write, entries, mode });
  };

  const record = async (p: PlannedBlock, r: HostRunResult): Promise<void> => {
    await appendJournalRecord(options.notebook.path, {
      block: p.block.index,
      name: p.args.name,
      lang: p.block.lang,
      host: r.host,
      start: r.start,
      end: r.end,
      command: redactText(p.script, p.args.redact),
      output: r.raw,
      exitCode: r.exitCode,
      status: r.status,
      expectations: r.expectations,
      ...(p.args.expectExit !== 0 ? { expectExit: p.args.expectExit } : {}),
      ...(r.message ? { message: r.message } : {}),
      ...(r.pendingRollback !== undefined ? { details: { rollbackAt: r.pendingRollback ? isoSeconds(r.pendingRollback.at) : null } } : {}),
    });
  };

  try {
    // What a block waits for, found without looking at every earlier block (20,000 blocks made that quadratic):
    // with one job the block before it; a :confirm block everything started before it; else the last
    // earlier block of the same :session on each of its hosts.
    const lastInSession = new Map<string, Promise<void>>();
    let previous: Promise<void> | null = null;
    for (const p of options.blocks) {
      const waitFor: Promise<void>[] = [];
      if (jobs === 1) {
        if (previous) waitFor.push(previous);
      } else if (p.args.confirm) {
        waitFor.push(...landing);
      } else {
        for (const key of sessionKeys(p)) {
          const last = lastInSession.get(key);
          if (last) waitFor.push(last);
        }
      }
      await Promise.all(waitFor);
      while (running.size >= jobs) await Promise.race(running);
      while (landing.size >= jobs + MAX_UNWRITTEN_BLOCKS) await Promise.race(landing);
      if (stopped || options.signal.aborted) break;
      let ran!: () => void;
      const hasRun = new Promise<void>((resolve) => (ran = resolve));
      const whole = runOne(p, ran).catch((e: Error) => {
        problem(`block ${p.number}: ${e.message}`, p.number);
        stopped = true;
      });
      const task = jobs === 1 ? whole : Promise.race([hasRun, whole]);
      previous = task;
      for (const key of sessionKeys(p)) lastInSession.set(key, task);
      running.add(task);
      void task.finally(() => running.delete(task));
      landing.add(whole);
      void whole.finally(() => landing.delete(whole));
    }
    await Promise.all(landing);
  } finally {
    if (!options.keep) await options.resolver.dispose().catch((e: Error) => problem(`closing targets: ${e.message}`));
  }
  outcomes.sort((a, b) => a.number - b.number);
  const ok = problems.length === 0 && outcomes.every((o) => o.status === 'pass');
  return { blocks: outcomes, problems, ok };
}

/** What a user is told when results could not go into the notebook: where they did go, if anywhere. */
function whereTheResultsAre(options: EngineOptions, unjournaled: string[]): string {
  if (options.journal === false) return 'the results were not saved anywhere';
  if (unjournaled.length === 0) return `the results are kept in the journal (.modus/journal/ beside ${options.notebook.path}; modus journal show ${options.notebook.path})`;
  return `the journal could not be written either (${unjournaled[0]}), so nothing of this run was saved: copy the notebook to a directory you can write and run it there`;
}

/** One key per (:session, host) the block runs in: blocks with a key in common run one after another. */
function sessionKeys(p: PlannedBlock): string[] {
  if (p.args.session === null) return [];
  return blockHostLabels(p).map((h) => `${p.args.session}\u0000${h}`);
}

function notRun(host: string, status: Status, message: string): HostRunResult {
  const now = new Date();
  return { host, start: now, end: now, exitCode: null, status, text: `modus: ${message}`, message, expectations: [], raw: rawOutputOf(Buffer.alloc(0)), omitted: 0 };
}

/** `2026-11-23T19:40:02Z`: times as results and the journal's details write them. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Results attribute of a commit confirmed left pending: when the device rolls it back unless confirmed. */
export const ROLLBACK_AT_ATTR = 'rollback-at';

/** The results block for one host: `:host H :at ISO :took 2.1s :exit N :status S [:rollback-at ISO] :hash H` (ran-hash.ts). */
export function resultEntry(r: HostRunResult, hash: string): ResultEntry {
  const attrs: [string, string][] = [
    ['host', r.host],
    ['at', isoSeconds(r.start)],
    ['took', formatDuration(r.end.getTime() - r.start.getTime())],
  ];
  if (r.exitCode !== null) attrs.push(['exit', String(r.exitCode)]);
  attrs.push(['status', r.status]);
  if (r.pendingRollback) attrs.push([ROLLBACK_AT_ATTR, isoSeconds(r.pendingRollback.at)]);
  attrs.push([RAN_HASH_ATTR, hash]);
  return { attrs, body: r.text };
}

/** Runs fn over items with at most `limit` at once; results in item order. */
async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}
