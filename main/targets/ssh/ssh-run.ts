// One block on one host: a client over the host's connection with a remote
// pty (`ssh -tt`), the bootstrap of remote-script.ts, the block's text sent
// once the remote pty is ready, and its output streamed back with flow
// control (a paused reader pauses ssh's stdout, and the channel window
// stops the remote program). Stopping kills the remote session and process
// group from a second client before the local one is ended, so a block that
// ignores SIGHUP is gone from the host too; when that kill cannot be seen to
// succeed (the host does not answer), the outcome says the block may still
// be running there and how to end it by hand.

import type { ChildProcess } from 'node:child_process';
import { programFor } from '../interpreters.js';
import { MarkerStream, newNonce } from '../marker-stream.js';
import { scriptName } from '../private-dir.js';
import { DEFAULT_COLS, PTY_ROWS } from '../pty-process.js';
import type { RunIO, ScriptOutcome, ScriptRequest } from '../target.js';
import { destinationArgs } from './destination.js';
import { freshRunBootstrap, isBootstrapDir, remoteCommand, type FailureCode } from './remote-script.js';
import { abortedOutcome, connectionLost, stopOnHost } from './remote-stop.js';
import type { SshConnection } from './ssh-connection.js';
import { classifySshFailure, lastSshWords } from './ssh-failure.js';
import { clientEnded, killSsh, spawnSsh } from './ssh-client.js';

/** Bytes of noise (a chatty .bashrc) kept while waiting for the ready marker. */
const STDERR_LIMIT = 64 * 1024;
/** After the end marker, how long the session may stay open (a background process holding the pty) before the client is ended. */
const AFTER_END_MS = 3000;

export function failureText(code: string, label: string, program: string, cwd: string | undefined): string {
  switch (code as FailureCode) {
    case 'interpreter':
      return `no interpreter for this block on ${label}: "${program}" is not on the remote PATH; install it there or change the block's language`;
    case 'dir':
      return `working directory ${cwd ?? ''} does not exist on ${label} (or is not a directory you can enter)`;
    case 'tmp':
      return `cannot create a private directory for the block on ${label} (mktemp -d in \${TMPDIR:-/tmp} failed): is the disk full or /tmp not writable?`;
    case 'bash':
      return `sessions need bash on the host, and ${label} has none on its PATH`;
    default:
      return `the block could not start on ${label} (${code})`;
  }
}

export async function runOverSsh(conn: SshConnection, req: ScriptRequest, io: RunIO): Promise<ScriptOutcome> {
  if (io.signal.aborted) return { kind: 'aborted' };
  const program = programFor(req.language);
  if ('error' in program) return { kind: 'failed', message: program.error };
  const claim = await conn.readyOrFirstClient();
  if ('failure' in claim) return { kind: 'failed', message: claim.failure.message };
  // No connection yet: this block's client sets it up (first-client.ts).
  const turn = 'first' in claim ? claim : null;
  const first = turn?.first ?? null;
  const direct = 'first' in claim ? null : claim;
  // Both carry the options and environment of the client to start.
  const via = first ?? direct!;
  if (io.signal.aborted) {
    first?.ended(null, true);
    return { kind: 'aborted' };
  }

  const script = Buffer.from(req.script, 'utf8');
  const nonce = newNonce();
  const readyNonce = newNonce();
  const bootstrap = Buffer.from(
    freshRunBootstrap({
      nonce,
      program: program.program,
      scriptFile: scriptName(req.language, 1),
      scriptBytes: script.length,
      ...(req.cwd !== undefined ? { cwd: req.cwd } : {}),
      cols: req.cols ?? DEFAULT_COLS,
      rows: PTY_ROWS,
    }),
    'utf8',
  );
  const args = [...via.args, '-tt', ...destinationArgs(conn.destination), remoteCommand(readyNonce, bootstrap.length)];
  let child: ChildProcess;
  try {
    child = spawnSsh({ args, env: via.env, ...(first ? { stdio: ['pipe', 'pipe', first.stderrFd] } : {}) });
  } catch (e) {
    first?.ended(null);
    return { kind: 'failed', message: (e as Error).message };
  }
  // A first client's ProxyJump child serves the master now: stop the client alone, never its process group.
  const stopClient = (): void => (first ? stopOne(child) : killSsh(child));

  const readyMarker = new MarkerStream(readyNonce);
  const run = new MarkerStream(nonce);
  let pid: number | null = null;
  let dir: string | null = null;
  let began = false;
  let status: number | undefined;
  let failure: string | undefined;
  let stderr = '';
  let pauses = 0;
  let endTimer: NodeJS.Timeout | undefined;

  const deliver = (bytes: Uint8Array): void => {
    if (bytes.length === 0 || status !== undefined || failure !== undefined) return;
    const scan = run.feed(bytes);
    if (scan.beginFields) {
      began = true;
      const p = Number(scan.beginFields[0]);
      if (Number.isInteger(p) && p > 1) pid = p;
      const d = scan.beginFields[1] ?? '';
      if (isBootstrapDir(d)) dir = d;
    }
    if (scan.failure !== undefined) failure = scan.failure;
    if (scan.output.length > 0) {
      const wait = io.onData(scan.output);
      if (wait) {
        if (pauses++ === 0) child.stdout!.pause();
        void wait.finally(() => {
          if (--pauses === 0) child.stdout!.resume();
        });
      }
    }
    if (scan.endStatus !== undefined) {
      status = scan.endStatus;
      // The status is in: a background process the block left holding the pty must not keep the run open.
      child.stdin!.end();
      endTimer = setTimeout(stopClient, AFTER_END_MS);
    }
  };

  let readySeen = false;
  child.stdout!.on('data', (b: Buffer) => {
    if (readySeen) return deliver(b);
    const scan = readyMarker.feed(b);
    if (!scan.beginFields) return;
    readySeen = true;
    first?.proven();
    const p = Number(scan.beginFields[0]);
    if (Number.isInteger(p) && p > 1) pid = p;
    child.stdin!.write(Buffer.concat([bootstrap, script]));
    deliver(scan.output);
  });
  child.stderr?.on('data', (b: Buffer) => {
    if (stderr.length < STDERR_LIMIT) stderr += b.toString('utf8');
  });
  child.stdin!.on('error', () => undefined);

  let stopping: Promise<ScriptOutcome> | null = null;
  // Until the end marker is read (or a stop was asked for), output the master still writes after the client's exit is waited for.
  const ended = clientEnded(child, { keepReading: () => status === undefined && failure === undefined && stopping === null });
  const onAbort = (): void => {
    stopping = (async (): Promise<ScriptOutcome> => {
      // Nothing runs on the host before the ready marker; and a first client's connection has no verdict until the client ends.
      if (pid === null) return { kind: 'aborted' };
      const over = turn ? await turn.connection : direct;
      const notStopped = over && !('failure' in over) ? await stopOnHost(conn, over, pid, dir) : `could not reach ${conn.label} to stop it (its connection failed)`;
      return abortedOutcome(conn.label, pid, notStopped);
    })().finally(stopClient);
  };
  io.signal.addEventListener('abort', onAbort, { once: true });
  if (io.signal.aborted) onAbort();
  try {
    const exit = await ended;
    if (!readySeen) first?.ended(exit.code, stopping !== null);
    // The outcome waits for the remote kill: a plain aborted means nothing of the block runs on the host.
    if (stopping) return await stopping;
    if (failure !== undefined) return { kind: 'failed', message: failureText(failure, conn.label, program.program, req.cwd) };
    if (status !== undefined) return { kind: 'exited', exitCode: status };
    if (exit.error) return { kind: 'failed', message: `could not run ssh: ${exit.error.message}` };
    const rest = run.flush();
    if (rest.length > 0) await io.onData(rest);
    if (first) stderr = await first.stderrText();
    if (began && pid !== null) return { kind: 'failed', message: `${connectionLost(conn.label, pid, lastSshWords(stderr))}; its output above is what arrived` };
    if (first && !readySeen) {
      const verdict = await turn!.connection;
      if (verdict && 'failure' in verdict) return { kind: 'failed', message: verdict.failure.message };
    }
    if (exit.code === 255) return { kind: 'failed', message: classifySshFailure(stderr, { label: conn.label }).message };
    return {
      kind: 'failed',
      message: `${conn.label} did not run Modus's bootstrap (ssh exited with ${exit.code}${stderr.trim() ? `: ${lastSshWords(stderr)}` : ''}); the host needs /bin/sh with stty, head and mktemp`,
    };
  } finally {
    if (endTimer) clearTimeout(endTimer);
    io.signal.removeEventListener('abort', onAbort);
  }
}

/** Ends one local ssh process and nothing else. */
function stopOne(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}
