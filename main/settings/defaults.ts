// What Modus looks like and does before the user changes anything.

import type { KeyAction, Settings } from '../protocol.js';

export const DEFAULT_KEYBINDINGS: Record<KeyAction, string> = {
  newTab: 'Ctrl+Shift+T',
  closeTab: 'Ctrl+Shift+W',
  copy: 'Ctrl+Shift+C',
  paste: 'Ctrl+Shift+V',
  find: 'Ctrl+Shift+F',
  nextTab: 'Ctrl+PageDown',
  previousTab: 'Ctrl+PageUp',
  splitRight: 'Ctrl+Shift+E',
  splitDown: 'Ctrl+Shift+O',
  // A letter, not a bracket, so it is the same key on every keyboard layout.
  focusNextPane: 'Ctrl+Shift+N',
  zoomIn: 'Ctrl+=',
  zoomOut: 'Ctrl+-',
  zoomReset: 'Ctrl+0',
  complete: 'Alt+/',
  newSshTab: 'Ctrl+Shift+S',
  openNotebook: 'Ctrl+Shift+M',
  // The notebook actions act on a notebook tab only: in a terminal, Ctrl+S stays the shell's.
  saveNotebook: 'Ctrl+S',
  runAll: 'Ctrl+Shift+Enter',
  stopRuns: 'Ctrl+Shift+Backspace',
  previousCommand: 'Ctrl+Shift+ArrowUp',
  nextCommand: 'Ctrl+Shift+ArrowDown',
  sendToNotebook: 'Ctrl+Shift+K',
  recordToNotebook: 'Ctrl+Shift+J',
};

export const KEY_ACTIONS = Object.keys(DEFAULT_KEYBINDINGS) as KeyAction[];

/**
 * Fonts with good box-drawing and powerline glyphs first, then what each
 * platform is sure to have, then the generic family.
 */
export const DEFAULT_FONT_FAMILY =
  '"JetBrains Mono", "Cascadia Mono", "Fira Code", "Source Code Pro", "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", "Noto Sans Mono", monospace';

export const FONT_SIZE_RANGE = { min: 6, max: 72 } as const;
export const SCROLLBACK_RANGE = { min: 0, max: 1_000_000 } as const;

export function defaultSettings(): Settings {
  return {
    fontFamily: DEFAULT_FONT_FAMILY,
    fontSize: 11,
    palette: {
      foreground: '#d4d4d4',
      background: '#1c1c1e',
      cursor: '#f0f0f0',
      selection: '#44475a',
      // Tango-like hues, with blue and magenta lifted so they read on a dark background.
      ansi: [
        '#2e3436', '#d33b3b', '#4e9a06', '#c4a000', '#4a7fd0', '#a767a7', '#06989a', '#d3d7cf',
        '#6a6e6c', '#ef5959', '#8ae234', '#fce94f', '#82aee8', '#c88bc4', '#34e2e2', '#f3f3f1',
      ],
    },
    opacity: 1,
    scrollback: 10_000,
    shell: null,
    shellArgs: [],
    keybindings: { ...DEFAULT_KEYBINDINGS },
    gpuAcceleration: 'auto',
    sshConfig: null,
    inventory: null,
    shellIntegration: true,
    sshShellIntegration: false,
  };
}
