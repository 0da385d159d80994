// Shell integration in an SSH tab: the remote command ssh runs (with -t) in
// place of a bare login shell. It carries Modus's integration scripts (the
// same ones local shells get, shell-integration.ts) and the tab's nonce, so
// nothing is typed into the tab, nothing is written to the user's rc files,
// and no file stays behind:
//
// - The user's login shell, whatever it is, reads one fixed line:
//   `exec /bin/sh -c 'eval "$(printf %b "$@")"' modus 'PART' 'PART'…`. The
//   parts are the launcher below, encoded so that they mean the same inside
//   single quotes to sh, bash, zsh, fish and csh (no quote, `!`, newline or
//   backslash other than the `\0NNN` escapes printf %b decodes), and cut into
//   words short enough for csh.
// - The launcher (sh) looks at $SHELL, the login shell sshd ran. bash: the rc
//   script reaches `bash --rcfile /dev/fd/3` through a here-document (a pipe
//   or a file the shell removes at once), and bash stands in for the login
//   shell (MODUS_SHELL_LOGIN: /etc/profile, then ~/.bash_profile,
//   ~/.bash_login or ~/.profile). zsh: a private temporary ZDOTDIR that zsh
//   removes after its last startup file, and a small sh waiting for zsh
//   removes it again should the user's rc have replaced zsh (exec tmux).
//   Anything else, or what cannot be set up: a one-line note, dim, and the
//   plain login shell.
// - The nonce travels in the environment of the shell, never through the
//   terminal; the scripts unset it before the user's files run. It is in the
//   arguments of the launching sh for the moment it takes to start the shell
//   (exec replaces them), and never in those of the sh that stays for zsh.

import { BASH_RC, LOGIN_ENV, NONCE_ENV, TEMPORARY_ZDOTDIR_ENV, ZSH_FILES } from './shell-integration.js';

/** A word no longer than this is safe in every shell (csh has the shortest limit). */
const WORD_CHARS = 1000;

/** Shells that take `-l` to start as a login shell. Others start with no argument. */
const TAKES_DASH_L = 'sh|dash|ash|ksh|ksh93|mksh|pdksh|oksh|yash|posh|bash|rbash|zsh|fish|tcsh|csh';

/** `command<<'END' rest`, the text, the end line (`command` ends with its descriptor or a blank). */
function heredoc(command: string, text: string, end: string, rest = ''): string {
  if (text.split('\n').includes(end)) throw new Error(`the script holds its here-document's end line ${end}`);
  return `${command}<<'${end}'${rest}\n${text.endsWith('\n') ? text : `${text}\n`}${end}`;
}

/** The sh script that starts the remote shell (see the top of this file). */
export function remoteLauncher(nonce: string): string {
  if (!/^[0-9a-f]{16,64}$/.test(nonce)) throw new Error('the nonce must be hex digits');
  const zshFiles = Object.entries(ZSH_FILES).map(([name, text]) => heredoc(`    cat >"$d/${name}" `, text, 'MODUS_ZSH_END', ' || ok='));
  return [
    '# Modus shell integration for an SSH tab: starts your login shell with it.',
    's=${SHELL-}',
    'modus_plain() {',
    `  printf '\\033[2mmodus: %s; this tab runs without shell integration\\033[0m\\n' "$1"`,
    '  if [ -n "$s" ] && [ -x "$s" ]; then',
    `    case \${s##*/} in ${TAKES_DASH_L}) exec "$s" -l ;; esac`,
    '    exec "$s"',
    '  fi',
    '  exec /bin/sh -l',
    '}',
    'case ${s##*/} in',
    'bash)',
    // The rc text is read whole before it runs, so its first line may close the descriptor it came through.
    heredoc('  exec 3', `exec 3<&-\n${BASH_RC}`, 'MODUS_BASH_RC_END'),
    '  if [ -x "$s" ] && [ -r /dev/fd/3 ]; then',
    `    ${NONCE_ENV}=${nonce} ${LOGIN_ENV}=1`,
    `    export ${NONCE_ENV} ${LOGIN_ENV}`,
    '    exec "$s" --rcfile /dev/fd/3 -i',
    '  fi',
    '  exec 3<&-',
    '  modus_plain "bash cannot be handed its startup file here (no /dev/fd)"',
    '  ;;',
    'zsh)',
    '  d=$(umask 077 && mktemp -d "${TMPDIR:-/tmp}/modus-zsh.XXXXXXXXXX" 2>/dev/null) || d=',
    '  if [ -n "$d" ] && [ -x "$s" ]; then',
    '    ok=1',
    ...zshFiles,
    '    if [ -n "$ok" ]; then',
    '      [ -n "${ZDOTDIR+set}" ] && { MODUS_USER_ZDOTDIR=$ZDOTDIR; export MODUS_USER_ZDOTDIR; }',
    `      ${NONCE_ENV}=${nonce} ${TEMPORARY_ZDOTDIR_ENV}=1 ZDOTDIR=$d`,
    `      export ${NONCE_ENV} ${TEMPORARY_ZDOTDIR_ENV} ZDOTDIR`,
    // A new sh without the nonce in its arguments stays to remove the directory when zsh ends.
    `      exec /bin/sh -c 'trap "rm -rf -- \\"\\$1\\"; exit 129" HUP TERM; "$2" -l; st=$?; rm -rf -- "$1"; exit "$st"' modus-zsh "$d" "$s"`,
    '    fi',
    '    rm -rf -- "$d"',
    '  fi',
    '  modus_plain "zsh\'s startup files cannot be put in a temporary directory here"',
    '  ;;',
    "'')",
    '  modus_plain "the remote login shell is not known (\\$SHELL is not set)"',
    '  ;;',
    '*)',
    '  modus_plain "the remote login shell is ${s##*/}, and Modus integrates bash and zsh"',
    '  ;;',
    'esac',
    '',
  ].join('\n');
}

/** `\0NNN` for every byte a shell could read inside single quotes; printable ASCII otherwise. */
function encodeUnits(text: string): string[] {
  const units: string[] = [];
  for (const byte of Buffer.from(text, 'utf8')) {
    const safe = byte >= 0x20 && byte <= 0x7e && byte !== 0x27 /* ' */ && byte !== 0x5c /* \ */ && byte !== 0x21; /* ! */
    units.push(safe ? String.fromCharCode(byte) : `\\0${byte.toString(8).padStart(3, '0')}`);
  }
  return units;
}

function words(units: string[]): string[] {
  const out: string[] = [];
  let word = '';
  for (const u of units) {
    if (word.length + u.length > WORD_CHARS) {
      out.push(word);
      word = '';
    }
    word += u;
  }
  if (word !== '') out.push(word);
  return out;
}

/** The remote command of an SSH tab with shell integration (one argument for ssh, after the host). */
export function remoteIntegrationCommand(nonce: string): string {
  const parts = words(encodeUnits(remoteLauncher(nonce))).map((w) => `'${w}'`);
  return `exec /bin/sh -c 'eval "$(printf %b "$@")"' modus ${parts.join(' ')}`;
}
