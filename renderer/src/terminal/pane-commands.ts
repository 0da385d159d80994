// The commands of a terminal whose shell reports them (shell integration):
// the shell's OSC 133 marks are read as xterm parses them, only those with
// this shell's nonce (a program printing marks cannot fake a prompt), and
// each command gets a mark in the terminal's left edge, green or red by its
// exit status, the status on hover, and a menu (copy its output, copy the
// command, send it to a notebook). Ctrl+Shift+Up/Down move between prompts.

import type { IDecoration, IMarker, Terminal } from '@xterm/xterm';

export interface PaneCommand {
  /** From the host once the command ended (the host numbers them as they end). */
  seq: number | null;
  command: string;
  exitCode: number | null;
  prompt: IMarker;
  output: IMarker | null;
  end: IMarker | null;
  decoration: IDecoration | null;
}

export interface CommandMenuActions {
  copy(text: string): void;
  send(cmd: PaneCommand): void;
}

export class PaneCommands {
  readonly list: PaneCommand[] = [];
  /** Commands that ended, waiting for the host to give their number (in order). */
  private awaitingSeq: PaneCommand[] = [];
  /** Numbers from the host for commands whose end this page has not parsed yet (the host reads the pty first). */
  private earlyNumbers: { seq: number; command: string; exitCode: number | null }[] = [];
  private current: PaneCommand | null = null;
  private menu: HTMLElement | null = null;
  /** The prompt line the last jump went to: the next jump goes on from it, even where scrolling could not reach it. */
  private lastJump: number | null = null;

  constructor(
    private readonly term: Terminal,
    /** null: no shell of this pane's marks now (an SSH pane reconnected without integration). */
    private nonce: string | null,
    private readonly actions: CommandMenuActions,
  ) {
    term.parser.registerOscHandler(133, (data) => this.mark(data));
  }

  /**
   * The pane runs a new shell (an SSH pane connected again): only its marks
   * count from now on. The earlier commands keep their marks in the
   * scrollback, but their numbers were the previous terminal's, so they can
   * no longer be sent to a notebook.
   */
  newShell(nonce: string | null): void {
    this.nonce = nonce;
    this.current = null;
    this.awaitingSeq = [];
    this.earlyNumbers = [];
    for (const c of this.list) c.seq = null;
  }

  private mark(data: string): boolean {
    const fields = data.split(';');
    const letter = fields[0];
    if (this.nonce === null || !fields.includes(`k=${this.nonce}`)) return false; // not our shell's: a program's own marks mean nothing here
    switch (letter) {
      case 'A': {
        const prompt = this.term.registerMarker(0);
        if (!prompt) return true;
        this.current = { seq: null, command: '', exitCode: null, prompt, output: null, end: null, decoration: null };
        return true;
      }
      case 'C': {
        if (!this.current) return true;
        this.current.output = this.term.registerMarker(0) ?? null;
        const c = fields.find((f) => f.startsWith('c='));
        if (c) this.current.command = c.slice(2).replace(/\\(\\|x[0-9a-fA-F]{2})/g, (_m, e: string) => (e === '\\' ? '\\' : String.fromCharCode(parseInt(e.slice(1), 16))));
        return true;
      }
      case 'D': {
        const cmd = this.current;
        if (!cmd || !cmd.output) return true; // a prompt drawn again, no command ran
        this.current = null;
        cmd.end = this.term.registerMarker(0) ?? null;
        const code = fields[1] !== undefined && /^\d+$/.test(fields[1]) ? Number(fields[1]) : null;
        cmd.exitCode = code;
        this.list.push(cmd);
        const early = this.earlyNumbers.shift();
        if (early) this.number(cmd, early);
        else this.awaitingSeq.push(cmd);
        this.decorate(cmd);
        return true;
      }
      default:
        return true;
    }
  }

  /** The host's number for the next command that ended. */
  numbered(seq: number, command: string, exitCode: number | null): void {
    const cmd = this.awaitingSeq.shift();
    if (cmd) this.number(cmd, { seq, command, exitCode });
    else this.earlyNumbers.push({ seq, command, exitCode });
  }

  private number(cmd: PaneCommand, n: { seq: number; command: string; exitCode: number | null }): void {
    cmd.seq = n.seq;
    if (n.command) cmd.command = n.command;
    if (n.exitCode !== null) cmd.exitCode = n.exitCode;
  }

  private decorate(cmd: PaneCommand): void {
    const decoration = this.term.registerDecoration({ marker: cmd.prompt, anchor: 'left', x: 0, width: 1, layer: 'top' });
    if (!decoration) return;
    cmd.decoration = decoration;
    const ok = cmd.exitCode === 0;
    decoration.onRender((el) => {
      el.classList.add('cmd-mark', ok ? 'cmd-ok' : 'cmd-failed');
      el.dataset.exit = cmd.exitCode === null ? '' : String(cmd.exitCode);
      el.title = `${cmd.command || 'command'}: ${cmd.exitCode === null ? 'exit status unknown' : `exit status ${cmd.exitCode}`}`;
      el.onclick = (ev) => {
        ev.stopPropagation();
        this.openMenu(cmd, el);
      };
    });
  }

  /** What the command printed, as the terminal shows it (lines between its output start and its end). */
  outputText(cmd: PaneCommand): string {
    if (!cmd.output || cmd.output.line < 0) return '';
    const buffer = this.term.buffer.active;
    const last = cmd.end && cmd.end.line >= 0 ? cmd.end.line : buffer.length;
    const lines: string[] = [];
    for (let y = cmd.output.line; y < last; y++) {
      const line = buffer.getLine(y);
      if (!line) break;
      const text = line.translateToString(true);
      if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  }

  /**
   * Scrolls to the previous (-1) or next (+1) command's prompt. From the
   * bottom, the previous one is the last command's; after a jump, the next
   * one goes on from there (the last prompts may sit on the last page, which
   * cannot scroll to their line).
   */
  jump(direction: -1 | 1): void {
    const buffer = this.term.buffer.active;
    const prompts = this.list.map((c) => c.prompt.line).filter((l) => l >= 0);
    const live = this.current && this.current.prompt.line >= 0 ? this.current.prompt.line : buffer.length;
    const clamp = (line: number): number => Math.min(line, buffer.baseY);
    let from: number;
    if (this.lastJump !== null && buffer.viewportY === clamp(this.lastJump)) from = this.lastJump;
    else from = buffer.viewportY === buffer.baseY ? live : buffer.viewportY;
    const target = direction < 0 ? prompts.filter((l) => l < from).pop() : prompts.find((l) => l > from);
    if (target === undefined) {
      if (direction > 0) {
        this.term.scrollToBottom();
        this.lastJump = null;
      }
      return;
    }
    this.term.scrollToLine(target);
    this.lastJump = target;
  }

  private openMenu(cmd: PaneCommand, anchor: HTMLElement): void {
    this.closeMenu();
    const menu = document.createElement('div');
    menu.className = 'cmd-menu';
    menu.setAttribute('role', 'menu');
    const item = (label: string, cls: string, action: () => void): void => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = `cmd-menu-item ${cls}`;
      b.textContent = label;
      b.addEventListener('click', () => {
        this.closeMenu();
        action();
        this.term.focus();
      });
      menu.append(b);
    };
    const status = document.createElement('div');
    status.className = 'cmd-menu-status';
    status.textContent = `${cmd.command || 'command'} · ${cmd.exitCode === null ? 'exit status unknown' : `exit ${cmd.exitCode}`}`;
    menu.append(status);
    item('Copy output', 'cmd-copy-output', () => this.actions.copy(this.outputText(cmd)));
    item('Copy command', 'cmd-copy-command', () => this.actions.copy(cmd.command));
    item('Send to notebook…', 'cmd-send', () => this.actions.send(cmd));
    const host = this.term.element?.parentElement;
    if (!host) return;
    const a = anchor.getBoundingClientRect();
    const h = host.getBoundingClientRect();
    menu.style.left = `${a.right - h.left + 4}px`;
    menu.style.top = `${a.top - h.top}px`;
    host.append(menu);
    this.menu = menu;
    const close = (ev: MouseEvent): void => {
      if (!menu.contains(ev.target as Node)) {
        this.closeMenu();
        document.removeEventListener('mousedown', close, true);
      }
    };
    document.addEventListener('mousedown', close, true);
  }

  private closeMenu(): void {
    this.menu?.remove();
    this.menu = null;
  }
}
