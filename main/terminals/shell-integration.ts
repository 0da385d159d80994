// Shell integration: bash and zsh started by Modus report their prompt, the
// command line, where its output starts and its exit status (OSC 133 marks,
// see command-marks.ts) and their working directory (OSC 7), without
// touching the user's rc files. bash starts with `--rcfile` pointing at a
// file of ours that sources /etc/bash.bashrc and ~/.bashrc first, then adds
// its hooks around the user's own (PROMPT_COMMAND kept, string or array; PS1
// re-wrapped after the user's prompt code ran, for prompts that rebuild it).
// zsh starts with ZDOTDIR pointing at a directory of ours whose files source
// the user's (from their own ZDOTDIR or home) and restore ZDOTDIR, then add
// precmd/preexec hooks. Each shell gets a random nonce in its marks; the
// environment variable carrying it is unset before the user's rc runs, so
// programs never see it. The prompt mark also names the shell (`s=bash`).
// The same scripts serve SSH tabs (remote-shell-integration.ts): there bash
// reads the login files instead of the rc files (MODUS_SHELL_LOGIN), as the
// login shell ssh would have started, and zsh removes its temporary ZDOTDIR
// once it has read the last startup file (MODUS_ZDOTDIR_TEMPORARY).

import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createScratchDirSync } from '../files/scratch-dir.js';

export const NONCE_ENV = 'MODUS_SHELL_NONCE';
/** Set (to 1) for a bash that stands in for a login shell: it reads /etc/profile and the first of ~/.bash_profile, ~/.bash_login, ~/.profile. */
export const LOGIN_ENV = 'MODUS_SHELL_LOGIN';
/** Set (to 1) when zsh's ZDOTDIR of ours is temporary: zsh removes it after the last startup file. */
export const TEMPORARY_ZDOTDIR_ENV = 'MODUS_ZDOTDIR_TEMPORARY';

function shellText(strings: TemplateStringsArray): string {
  return strings.raw.join('').replaceAll('§{', '${');
}

// Shell text below writes §{ where the shell has ${ (a template literal would take it as its own).
export const BASH_RC = shellText`# Modus shell integration for bash. Your own rc files are read first;
# this only adds prompt marks (OSC 133) and the working directory (OSC 7).
__modus_nonce="$MODUS_SHELL_NONCE"
__modus_login="$MODUS_SHELL_LOGIN"
unset MODUS_SHELL_NONCE MODUS_SHELL_LOGIN
if [ -z "$MODUS_SHELL_INTEGRATION_LOADED" ]; then
  if [ -n "$__modus_login" ]; then
    # --rcfile makes bash a non-login shell: read what a login shell reads.
    [ -r /etc/profile ] && . /etc/profile
    if [ -r "$HOME/.bash_profile" ]; then . "$HOME/.bash_profile"
    elif [ -r "$HOME/.bash_login" ]; then . "$HOME/.bash_login"
    elif [ -r "$HOME/.profile" ]; then . "$HOME/.profile"
    fi
  else
    [ -r /etc/bash.bashrc ] && . /etc/bash.bashrc
    [ -r "$HOME/.bashrc" ] && . "$HOME/.bashrc"
  fi
fi
unset __modus_login
# PS0, which marks where a command's output starts, came with bash 4.4.
if [ -n "$__modus_nonce" ] && [ -z "$MODUS_SHELL_INTEGRATION_LOADED" ] && (( BASH_VERSINFO[0] < 4 || (BASH_VERSINFO[0] == 4 && BASH_VERSINFO[1] < 4) )); then
  builtin printf '\e[2mmodus: no shell integration: bash %s is older than 4.4\e[0m\n' "$BASH_VERSION"
  __modus_nonce=
fi
if [ -n "$__modus_nonce" ] && [ -z "$MODUS_SHELL_INTEGRATION_LOADED" ]; then
  MODUS_SHELL_INTEGRATION_LOADED=1
  __modus_A=$'\e]133;A;k='"$__modus_nonce"$';s=bash\a'
  __modus_B=$'\e]133;B;k='"$__modus_nonce"$'\a'
  __modus_escape() {
    local s="$1"
    s=§{s//\\/\\\\}
    s=§{s//;/\\x3b}
    s=§{s//$'\n'/\\x0a}
    s=§{s//$'\r'/\\x0d}
    s=§{s//$'\e'/\\x1b}
    s=§{s//$'\a'/\\x07}
    s=§{s//[[:cntrl:]]/?}
    builtin printf '%s' "$s"
  }
  __modus_urlpath() {
    local p="$1" out="" c i
    for (( i = 0; i < §{#p}; i++ )); do
      c=§{p:i:1}
      case "$c" in
        [A-Za-z0-9/._~-]) out+="$c" ;;
        *) out+=$(builtin printf '%%%02X' "'$c") ;;
      esac
    done
    builtin printf '%s' "$out"
  }
  # PS0 is printed after a command line is read, before it runs: the output starts here.
  __modus_preexec() {
    local line
    line=$(HISTTIMEFORMAT= builtin history 1)
    line=§{line#*[0-9]  }
    builtin printf '\e]133;C;k=%s;c=%s\a' "$__modus_nonce" "$(__modus_escape "$line")"
  }
  __modus_precmd() {
    local ret=$?
    builtin printf '\e]133;D;%s;k=%s\a' "$ret" "$__modus_nonce"
    builtin printf '\e]7;file://%s%s\a' "$HOSTNAME" "$(__modus_urlpath "$PWD")"
    return $ret
  }
  # After the user's prompt code: wrap whatever PS1 is now in the prompt marks.
  __modus_wrap_prompt() {
    local ret=$?
    PS1=§{PS1//"\[$__modus_A\]"/}
    PS1=§{PS1//"\[$__modus_B\]"/}
    PS1="\[$__modus_A\]$PS1\[$__modus_B\]"
    return $ret
  }
  PS0='$(__modus_preexec)'"$PS0"
  if [[ "$(declare -p PROMPT_COMMAND 2>/dev/null)" == "declare -a"* ]]; then
    PROMPT_COMMAND=(__modus_precmd "§{PROMPT_COMMAND[@]}" __modus_wrap_prompt)
  else
    # Newlines, not semicolons, between the parts: a user's PROMPT_COMMAND may end in ';' or be empty.
    PROMPT_COMMAND="__modus_precmd"$'\n'"$PROMPT_COMMAND"$'\n'"__modus_wrap_prompt"
  fi
fi
`;

// zsh reads $ZDOTDIR/.zshenv, then (login) .zprofile, (interactive) .zshrc, (login) .zlogin.
// Each of ours sources the user's file of the same name with ZDOTDIR set to the user's, then
// points ZDOTDIR back at ours for the next one; the last one leaves it at the user's.
// A temporary directory of ours (an SSH tab's) is removed once the last file was read.
function zshFile(name: string, last: 'rc' | 'login' | null): string {
  const done = '{ ZDOTDIR=$__modus_user_zdotdir; [[ -z $__modus_temporary ]] || command rm -rf -- "$__modus_dir"; }';
  const restore = last === 'rc' ? `[[ -o login ]] || ${done}` : last === 'login' ? done : '';
  return [
    `# Modus shell integration for zsh: reads your ${name}, then goes on.`,
    name === '.zshenv'
      ? '__modus_nonce=$MODUS_SHELL_NONCE; __modus_temporary=$MODUS_ZDOTDIR_TEMPORARY; unset MODUS_SHELL_NONCE MODUS_ZDOTDIR_TEMPORARY; __modus_dir=$ZDOTDIR; __modus_user_zdotdir=${MODUS_USER_ZDOTDIR:-$HOME}; unset MODUS_USER_ZDOTDIR'
      : '',
    'ZDOTDIR=$__modus_user_zdotdir',
    `[[ -r "$ZDOTDIR/${name}" ]] && . "$ZDOTDIR/${name}"`,
    // The user's file may have set ZDOTDIR for the files after it.
    '__modus_user_zdotdir=$ZDOTDIR',
    'ZDOTDIR=$__modus_dir',
    restore,
    last === 'rc' ? ZSH_HOOKS : '',
    '',
  ].join('\n');
}

const ZSH_HOOKS = shellText`if [[ -n "$__modus_nonce" && -z "$MODUS_SHELL_INTEGRATION_LOADED" ]]; then
  MODUS_SHELL_INTEGRATION_LOADED=1
  __modus_A=$'\e]133;A;k='"$__modus_nonce"$';s=zsh\a'
  __modus_B=$'\e]133;B;k='"$__modus_nonce"$'\a'
  __modus_escape() {
    local s="$1"
    s=§{s//\\/\\\\}
    s=§{s//;/\\x3b}
    s=§{s//$'\n'/\\x0a}
    s=§{s//$'\r'/\\x0d}
    s=§{s//$'\e'/\\x1b}
    s=§{s//$'\a'/\\x07}
    s=§{s//[[:cntrl:]]/?}
    print -rn -- "$s"
  }
  __modus_ran=0
  __modus_preexec() {
    __modus_ran=1
    print -rn -- $'\e]133;C;k='"$__modus_nonce;c=$(__modus_escape "$1")"$'\a'
  }
  __modus_precmd() {
    local ret=$?
    if (( __modus_ran )); then
      print -rn -- $'\e]133;D;'"$ret;k=$__modus_nonce"$'\a'
      __modus_ran=0
    fi
    print -rn -- $'\e]7;file://'"$HOST§{PWD// /%20}"$'\a'
    return $ret
  }
  __modus_wrap_prompt() {
    local ret=$?
    PS1=§{PS1//"%{$__modus_A%}"/}
    PS1=§{PS1//"%{$__modus_B%}"/}
    PS1="%{$__modus_A%}$PS1%{$__modus_B%}"
    return $ret
  }
  precmd_functions=(__modus_precmd $precmd_functions __modus_wrap_prompt)
  preexec_functions=($preexec_functions __modus_preexec)
fi`;

let files: { bashRc: string; zdotdir: string } | null = null;

/** Writes the integration files once per Modus process (a private scratch directory, swept after a crash). */
function integrationFiles(): { bashRc: string; zdotdir: string } {
  if (files) return files;
  const dir = createScratchDirSync('shell');
  const bashRc = join(dir, 'bashrc');
  writeFileSync(bashRc, BASH_RC, { mode: 0o600 });
  const zdotdir = join(dir, 'zsh');
  writeZsh(zdotdir);
  files = { bashRc, zdotdir };
  return files;
}

/** The files of zsh's ZDOTDIR of ours, by name. */
export const ZSH_FILES: Readonly<Record<string, string>> = {
  '.zshenv': zshFile('.zshenv', null),
  '.zprofile': zshFile('.zprofile', null),
  '.zshrc': zshFile('.zshrc', 'rc'),
  '.zlogin': zshFile('.zlogin', 'login'),
};

function writeZsh(dir: string): void {
  mkdirSync(dir, { mode: 0o700, recursive: true });
  for (const [name, text] of Object.entries(ZSH_FILES)) writeFileSync(join(dir, name), text, { mode: 0o600 });
}

/** A fresh nonce for one shell's marks. */
export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

export interface IntegratedShell {
  args: string[];
  env: Record<string, string>;
  nonce: string;
}

/**
 * The arguments and environment that start `shell` with Modus's integration,
 * or null when it is not bash or zsh, or when the user's own arguments would
 * change which rc files it reads (then it starts as they asked, without it).
 */
export function integrateShell(shell: string, args: readonly string[], env: Record<string, string>): IntegratedShell | null {
  const name = basename(shell);
  const onlyInteractive = args.every((a) => a === '-i');
  if (!onlyInteractive) return null;
  const nonce = newNonce();
  const { bashRc, zdotdir } = integrationFiles();
  if (name === 'bash') return { args: ['--rcfile', bashRc, ...args], env: { ...env, [NONCE_ENV]: nonce }, nonce };
  if (name === 'zsh') {
    const next: Record<string, string> = { ...env, [NONCE_ENV]: nonce, ZDOTDIR: zdotdir };
    if (env.ZDOTDIR !== undefined) next.MODUS_USER_ZDOTDIR = env.ZDOTDIR;
    return { args: [...args], env: next, nonce };
  }
  return null;
}
