// What Modus sends to a Linux host to run a block. The remote command line
// (read by the user's login shell, whatever it is) is fixed and small: it
// makes the remote pty pass input through untouched (no echo, no line
// editing, no signal characters), says it is ready, and evaluates a
// bootstrap that it reads from the pty. The bootstrap (read by /bin/sh)
// then reads the block's text, byte for byte, into a private file and runs
// the interpreter on it, framed by markers with a nonce fresh per run. So
// the block's text never passes through any shell quoting, and a remote
// pty shows its output as a terminal would.

import { shellQuote } from '../private-dir.js';

const OSC = '\\033]6973;';
const BEL = '\\007';

/** Input passes through the pty as bytes: no canonical mode, echo, signals, flow control or CR/NL mapping. Output processing stays (NL → CRLF), as in any terminal. */
export const RAW_INPUT = '-icanon -echo -isig -iexten -ixon -ixoff -icrnl -inlcr -igncr -istrip min 1 time 0 opost onlcr';

/**
 * The remote command: the login shell runs /bin/sh with a script free of
 * single quotes, `!` and backslash escapes the shell could read, so it
 * means the same to sh, bash, zsh, fish and csh. The ready marker carries the process id, which is
 * the session's leader and process group: what the block starts is in that session (remoteKillCommand).
 */
export function remoteCommand(readyNonce: string, bootstrapBytes: number): string {
  const inner = `stty ${RAW_INPUT} && printf "${OSC}B;${readyNonce};%d${BEL}" $$ && eval "$(head -c ${bootstrapBytes})"`;
  return `exec /bin/sh -c '${inner}'`;
}

export type FailureCode = 'tmp' | 'interpreter' | 'dir' | 'bash';

/** A directory as a block writes it, as sh code: `~` and `~/x` are the remote home, others as given (relative: to the home). */
export function remoteDirectory(dir: string): string {
  if (dir === '~') return '"$HOME"';
  if (dir.startsWith('~/')) return `"$HOME"/${shellQuote(dir.slice(2))}`;
  return shellQuote(dir);
}

function fail(nonce: string, code: FailureCode, status: number): string {
  return `{ printf '${OSC}F;${nonce};${code}${BEL}'; rm -rf "$d"; exit ${status}; }`;
}

export interface FreshRun {
  nonce: string;
  /** Program name (validated: letters, digits, . _ + -). */
  program: string;
  scriptFile: string;
  scriptBytes: number;
  cwd?: string;
  cols: number;
  rows: number;
}

/** The bootstrap of a fresh run: reads the script, restores the pty, runs it, reports its status. */
export function freshRunBootstrap(r: FreshRun): string {
  return [
    'umask 077',
    `d=$(mktemp -d "\${TMPDIR:-/tmp}/modus.XXXXXXXXXX") || { printf '${OSC}F;${r.nonce};tmp${BEL}'; exit 1; }`,
    // A lost connection (SIGHUP) cleans up here; a stop (SIGTERM to the group) is cleaned up by the kill command, and the default action keeps the shell from reporting "Terminated" into the output.
    `trap 'rm -rf "$d"; exit 129' HUP`,
    `head -c ${r.scriptBytes} > "$d/${r.scriptFile}"`,
    // What sshd set up for a client without a terminal may lack output processing; a block sees a terminal's usual settings.
    `stty sane cols ${r.cols} rows ${r.rows} 2>/dev/null`,
    `COLUMNS=${r.cols} LINES=${r.rows} TERM=xterm-256color; export COLUMNS LINES TERM`,
    // `command -v` without $(…): a fork less per block (spawns are what a fan-out to many hosts pays for).
    `command -v ${r.program} >/dev/null 2>&1 || ${fail(r.nonce, 'interpreter', 127)}`,
    ...(r.cwd !== undefined ? [`cd -- ${remoteDirectory(r.cwd)} 2>/dev/null || ${fail(r.nonce, 'dir', 1)}`] : []),
    `printf '${OSC}B;${r.nonce};%d;%s${BEL}' $$ "$d"`,
    `${r.program} "$d/${r.scriptFile}" </dev/null`,
    'st=$?',
    'rm -rf "$d"',
    `printf '${OSC}E;${r.nonce};%d${BEL}' "$st"`,
    '',
  ].join('\n');
}

/** What the kill command exits with when something of the run was still there after SIGKILL (another user's process, one stuck in the kernel). */
export const KILL_LEFT_STATUS = 3;

/**
 * Stops a run on the host, then removes its directory; exits 0 once nothing
 * of it is left. `pid` is the bootstrap's shell: sshd made it a session
 * leader (setsid, then the login shell exec'd /bin/sh), so it names both the
 * session and the process group. The group alone misses what a block put in
 * groups of its own (job control: `set -m`, an interactive shell), so where
 * pkill and pgrep are (procps, busybox) the session is signalled and waited
 * for too; elsewhere the group is what can be stopped. A process that
 * calls setsid itself (a daemon) leaves the session by design and is not
 * stopped. Digits, a mktemp path and no single quote, `!` or backslash:
 * the same command for any login shell.
 */
export function remoteKillCommand(pid: number, dir: string | null): string {
  const rm = dir !== null ? `rm -rf ${dir}; ` : '';
  const waitTenths = (n: number): string => `i=0; while left && [ $i -lt ${n} ]; do sleep 0.1; i=$((i+1)); done`;
  const inner = [
    `p=${pid}`,
    's=; command -v pkill >/dev/null 2>&1 && command -v pgrep >/dev/null 2>&1 && s=1',
    // `kill -SIG -PGID`, not `kill -SIG -- -PGID`: dash's kill takes no `--`.
    'sig() { [ -z "$s" ] || pkill -$1 -s $p; kill -$1 -$p; } 2>/dev/null',
    // A zombie has ended (and is not ours to reap: a slow init keeps it listed for seconds); a process /proc does not show counts as running.
    'alive() { [ -r /proc/$1/stat ] && read -r l </proc/$1/stat || return 0; l=${l##*) }; [ "${l%% *}" = Z ] && return 1; return 0; } 2>/dev/null',
    'left() { [ -n "$s" ] || { kill -0 -$p; return; }; for q in $(pgrep -s $p; pgrep -g $p); do alive $q && return 0; done; return 1; } 2>/dev/null',
    'sig TERM',
    waitTenths(20),
    'sig KILL',
    // SIGKILL cannot be caught: what still runs a second later could not be signalled (another user's) or is stuck in the kernel.
    waitTenths(10),
    `${rm}left && exit ${KILL_LEFT_STATUS}; exit 0`,
  ].join('; ');
  return `exec /bin/sh -c '${inner}'`;
}

/** A directory the bootstrap made (mktemp's template): the only kind remoteKillCommand accepts. */
export function isBootstrapDir(dir: string): boolean {
  return /^\/[A-Za-z0-9._/-]*\/modus\.[A-Za-z0-9]{10}$/.test(dir) && !dir.includes('..');
}

export interface SessionStart {
  nonce: string;
  cols: number;
  rows: number;
  cwd?: string;
}

/**
 * A session: bash reads commands from a private FIFO (no prompt, no echo),
 * its output goes to the pty; `cat` copies what Modus sends through the pty
 * (raw input, see RAW_INPUT) into the FIFO. bash runs in the foreground so
 * it and the blocks keep default signal handling. The ready marker carries
 * the process group and the directory. cat's pid is kept in the directory:
 * a hold by hand stops cat while the person types to bash (sessionHold*).
 * This sh traps SIGINT and SIGQUIT (a trap: bash gets the default back), so
 * a Ctrl+C typed while the session is held stops the command, not it.
 */
export function sessionBootstrap(r: SessionStart): string {
  return [
    'umask 077',
    `d=$(mktemp -d "\${TMPDIR:-/tmp}/modus.XXXXXXXXXX") || { printf '${OSC}F;${r.nonce};tmp${BEL}'; exit 1; }`,
    `command -v bash >/dev/null 2>&1 || ${fail(r.nonce, 'bash', 127)}`,
    `mkfifo -m 600 "$d/in" || ${fail(r.nonce, 'tmp', 1)}`,
    ...(r.cwd !== undefined ? [`cd -- ${remoteDirectory(r.cwd)} 2>/dev/null || ${fail(r.nonce, 'dir', 1)}`] : []),
    `stty cols ${r.cols} rows ${r.rows} 2>/dev/null`,
    `COLUMNS=${r.cols} LINES=${r.rows} TERM=xterm-256color; export COLUMNS LINES TERM`,
    "trap ':' INT QUIT",
    'exec 3<&0',
    'cat <&3 >"$d/in" &',
    'c=$!',
    // A lost connection (SIGHUP): bash ends when cat loses the pty, then this stops cat and removes the directory (a trap runs after the foreground command).
    `trap 'kill "$c" 2>/dev/null; rm -rf "$d"; exit 129' HUP`,
    'echo "$c" >"$d/cat"',
    `printf '${OSC}B;${r.nonce};%d;%s${BEL}' $$ "$d"`,
    'bash --noprofile --norc -s <"$d/in" 3<&-',
    'st=$?',
    'kill "$c" 2>/dev/null',
    'rm -rf "$d"',
    'exit "$st"',
    '',
  ].join('\n');
}

export interface SessionRun {
  nonce: string;
  /** The session's directory (from its ready marker). */
  dir: string;
  scriptFile: string;
  scriptBytes: number;
  /** Program name, or null: the script is sourced (sh, bash), so cd and variables stay. */
  program: string | null;
  cwd?: string;
}

/** One command line for a session's bash, followed on the wire by the script's bytes (read by head). */
export function sessionRunLine(r: SessionRun): string {
  const file = `${r.dir}/${r.scriptFile}`;
  const conditions: string[] = [];
  const failures: string[] = [];
  if (r.program !== null) {
    conditions.push(`command -v ${r.program} >/dev/null 2>&1`);
    failures.push('interpreter');
  }
  if (r.cwd !== undefined) {
    conditions.push(`cd -- ${remoteDirectory(r.cwd)} 2>/dev/null`);
    failures.push('dir');
  }
  const runIt = r.program === null ? `. ${file}` : `${r.program} ${file}`;
  const body = `printf '${OSC}B;${r.nonce}${BEL}'; { ${runIt}; } </dev/null; __modus_st=$?; rm -f ${file}; stty ${RAW_INPUT} <&1 2>/dev/null; printf '${OSC}E;${r.nonce};%d${BEL}' "$__modus_st"`;
  const head = `head -c ${r.scriptBytes} >${file}`;
  if (conditions.length === 0) return `${head}; ${body}\n`;
  // The first condition that fails decides the failure code.
  const checks = conditions.map((c, i) => `${i === 0 ? 'if' : 'elif'} ! ${c}; then rm -f ${file}; printf '${OSC}F;${r.nonce};${failures[i]}${BEL}'`).join('; ');
  return `${head}; ${checks}; else ${body}; fi\n`;
}

/**
 * Shell code a held session runs first (hold-script.ts `before`): cat stops
 * reading the pty, so what the person types reaches bash's readline and not
 * the command FIFO; the pty gets a terminal's usual modes and the tab's size;
 * the T marker names the pty (a resize is made from a second connection).
 */
export function sessionHoldBefore(r: { dir: string; nonce: string; cols: number; rows: number }): string {
  return [
    `read -r __modus_h_cat <${r.dir}/cat && kill -STOP "$__modus_h_cat"`,
    '__modus_h_raw=$(stty -g 2>/dev/null)',
    `stty sane cols ${r.cols} rows ${r.rows} 2>/dev/null`,
    // stdin is /dev/tty here, which tty would name as such: the device is the one stderr writes to.
    `printf '${OSC}T;${r.nonce};%s${BEL}' "$(tty <&2)"`,
  ].join('\n');
}

/** What a held session runs last (`after`): the pty's modes (raw input) and size as before, typeahead left on it dropped, cat reading again. */
export function sessionHoldAfter(r: { cols: number; rows: number }): string {
  return [
    `stty "$__modus_h_raw" 2>/dev/null || stty ${RAW_INPUT} 2>/dev/null`,
    `stty cols ${r.cols} rows ${r.rows} 2>/dev/null`,
    `while read -r -t 0; do read -r -d '' -n 512 -t 0.01 __modus_h_x; done`,
    'kill -CONT "$__modus_h_cat"',
    'unset __modus_h_cat __modus_h_raw __modus_h_x',
  ].join('\n');
}

/** Sets a held session's pty to the tab's size from a second connection (the kernel then signals SIGWINCH). */
export function remoteResizeCommand(tty: string, cols: number, rows: number): string | null {
  if (!/^\/dev\/[A-Za-z0-9/]+$/.test(tty) || tty.includes('..')) return null;
  return `exec /bin/sh -c 'stty cols ${Math.trunc(cols)} rows ${Math.trunc(rows)} <${tty}'`;
}
