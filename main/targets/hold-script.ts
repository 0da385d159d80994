// The bash code that lets a person take over a `:session` shell by hand.
//
// A session's bash reads the engine's commands from a FIFO, so it has no
// prompt and reads nothing from its terminal. To hand it to a person, the
// engine sends it this code as one more command: a read-eval loop that
// reads lines from the terminal with readline (`read -e`: line editing,
// history, filename completion) and evaluates each one in the session's own
// shell, so `cd`, variables and functions stay for the blocks that follow.
// It ends when Modus types a private key sequence at the prompt (hand back),
// when the person presses Ctrl+D on an empty line, or types `exit`/`logout`
// (which would otherwise end the notebook's shell). On the way out it puts
// back what it changed (terminal modes, traps, shell options, COLUMNS and
// LINES, its own variables), so the engine finds the shell as it left it.
//
// It tells Modus where it is with private OSC markers carrying a nonce fresh
// per hold (hold-markers.ts): P before each prompt, C (with the line, as
// printf %q quotes it) before a command runs, H (with how) when it is done.
//
// Terminal modes: between prompts the terminal is non-canonical (readline's
// own mode when it reads; keys typed before it starts are kept as they are),
// canonical again while a command typed by hand runs.
//
// Signals: the shell is not interactive and has no job control, so
// everything it runs shares its process group with it. While held, SIGINT
// and SIGQUIT are trapped (a trap, not an ignore: commands get the default
// back), so Ctrl+C stops the command and not the notebook's shell. At the
// prompt Ctrl+C is a key (the terminal's intr character is off there), bound
// to discard the line as an interactive shell does. Ctrl+Z is a plain key
// (no job control to come back from a stopped command).

import { shellQuote } from './private-dir.js';

/** The key sequence Modus types to hand the shell back (a private function key no terminal sends). */
export const HAND_BACK_KEYS = '\x1b[7000~';

/** How a hold ended, as the H marker says. */
export type HoldExit = 'handback' | 'eof' | 'exit';

export interface HoldScriptOptions {
  nonce: string;
  /** The session's name, shown in the prompt. */
  name: string;
  /** Shell code run first (with the terminal as stdin): what a transport needs to hand its terminal over. */
  before?: string;
  /** Shell code run last, before the H marker: what `before` undoes. */
  after?: string;
}

const OSC = String.raw`\033]6973;`;
const BEL = String.raw`\007`;

/** The hold loop as one compound command for the session's bash; every name it sets starts with __modus_h_ and is unset at the end. */
export function holdScript(o: HoldScriptOptions): string {
  const v = (name: string): string => `__modus_h_${name}`;
  const name = shellQuote(o.name);
  const bindings = [
    // Hand back: forget the line, set the flag, accept (read returns).
    String.raw`bind -m KEYMAP -x '"\e[7001~": ${v('back')}=handback; READLINE_LINE='`,
    // Ctrl+C at the prompt: the line is shown with ^C and discarded.
    String.raw`bind -m KEYMAP -x '"\e[7002~": ${v('int')}=1'`,
    String.raw`bind -m KEYMAP '"\e[7003~": accept-line'`,
    String.raw`bind -m KEYMAP '"\e[7000~": "\e[7001~\e[7003~"'`,
    String.raw`bind -m KEYMAP '"\C-c": "\C-e^C\e[7002~\e[7003~"'`,
  ];
  const keymaps = ['emacs', 'vi-insert', 'vi-command'];
  return [
    '{',
    `${v('name')}=${name}`,
    ...(o.before ? [o.before] : []),
    `${v('stty')}=$(stty -g 2>/dev/null)`,
    `${v('traps')}=$(trap -p INT QUIT)`,
    `${v('opts')}=$(set +o)`,
    `${v('cols')}=\${COLUMNS-} ${v('lines')}=\${LINES-}`,
    `${v('back')}= ${v('st')}=0 ${v('int')}=`,
    `trap ':' INT QUIT`,
    'stty susp undef 2>/dev/null',
    'set -o history',
    'case $SHELLOPTS in *emacs*|*vi*) ;; *) set -o emacs;; esac',
    ...keymaps.flatMap((k) => bindings.map((b) => `${b.replace('KEYMAP', k)} 2>/dev/null`)),
    'while :; do',
    `  ${v('line')}= ${v('int')}=`,
    // Non-canonical before the prompt marker: keys typed before readline sets up the terminal reach it as they are
    // (in canonical mode the kernel would turn a quick Ctrl+D into a NUL readline cannot see as end of file).
    '  stty -icanon min 1 time 0 intr undef 2>/dev/null',
    '  while :; do',
    `    printf '${OSC}P;%s${BEL}' ${o.nonce}`,
    `    if [ -z "$${v('line')}" ]; then ${v('ps')}="($${v('name')}) \${PWD/#"$HOME"/\\~} \\$ "; else ${v('ps')}='> '; fi`,
    // EOF (Ctrl+D) on an empty line hands back; within a continued command it drops the command, as bash does.
    `    IFS= read -r -e -p "$${v('ps')}" ${v('part')} || { if [ -z "$${v('line')}" ]; then ${v('back')}=eof; else ${v('int')}=1; fi; printf '\\n'; }`,
    `    [ -n "$${v('back')}" ] && break 2`,
    `    [ -n "$${v('int')}" ] && { ${v('line')}=; break; }`,
    `    ${v('line')}=\${${v('line')}:+$${v('line')}$'\\n'}$${v('part')}`,
    // A line that is not a whole command yet (an open quote, `do` without `done`, a here-document) asks for more, as PS2 does.
    `    case $(LC_ALL=C "$BASH" --norc --noprofile -n -c "$${v('line')}" 2>&1) in *'unexpected end of file'*|*'unexpected EOF'*|*'here-document'*) continue;; esac`,
    `    case $${v('line')} in *\\\\) case $${v('line')} in *\\\\\\\\) ;; *) continue;; esac;; esac`,
    '    break',
    '  done',
    `  case $${v('line')} in '') continue;; exit|'exit '*|logout) ${v('back')}=exit; break;; esac`,
    `  history -s -- "$${v('line')}"`,
    `  stty icanon intr '^C' 2>/dev/null`,
    `  printf '${OSC}C;%s;%q${BEL}' ${o.nonce} "\${${v('line')}:0:200}"`,
    // Inside a one-pass loop: a `break` or `continue` typed by hand ends that loop, not the hold.
    `  for ${v('once')} in 1; do (exit $${v('st')}); eval "$${v('line')}"; done; ${v('st')}=$?`,
    'done',
    `stty "$${v('stty')}" 2>/dev/null`,
    `trap - INT QUIT; eval "$${v('traps')}"`,
    `eval "$${v('opts')}"`,
    `COLUMNS=$${v('cols')} LINES=$${v('lines')}`,
    ...(o.after ? [o.after] : []),
    `printf '${OSC}H;%s;%s${BEL}' ${o.nonce} "$${v('back')}"`,
    `unset ${['stty', 'traps', 'opts', 'cols', 'lines', 'back', 'st', 'int', 'line', 'part', 'ps', 'name', 'once'].map(v).join(' ')}`,
    '} </dev/tty',
    '',
  ].join('\n');
}
