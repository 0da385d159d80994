// Installs window.__modus (see test-hook-types.ts): read-only views of the
// workspace for the end-to-end tests.

import type { RendererChoice } from './terminal/gpu.js';
import type { TransportRoute } from './transport/route.js';
import { panesOf } from './workspace/layout.js';
import { TerminalPane } from './terminal/terminal-pane.js';
import type { Box, HostPickerView, ModusTestHook, NotebookInfo } from './test-hook-types.js';
import type { Workspace } from './workspace/workspace.js';

function bufferLines(pane: TerminalPane): string[] {
  const buffer = pane.term.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < buffer.length; y++) lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function boxOf(element: Element | null | undefined): Box {
  const rect = element?.getBoundingClientRect();
  return rect ? { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom } : { left: 0, top: 0, right: 0, bottom: 0 };
}

export function installTestHook(
  workspace: Workspace,
  ready: () => boolean,
  rendererChoice: () => RendererChoice,
  transportRoute: () => TransportRoute,
  hostPicker: () => HostPickerView,
  notebooks: () => NotebookInfo[],
  notebookTokens: ModusTestHook['notebookTokens'],
): void {
  const focused = (): TerminalPane | null => {
    const pane = workspace.active?.focused;
    return pane instanceof TerminalPane ? pane : null;
  };
  const hook: ModusTestHook = {
    ready,
    bufferText: () => {
      const pane = focused();
      return pane ? bufferLines(pane).join('\n') : '';
    },
    cursorLine: () => {
      const pane = focused();
      if (!pane) return '';
      const buffer = pane.term.buffer.active;
      return buffer.getLine(buffer.baseY + buffer.cursorY)?.translateToString(true) ?? '';
    },
    tabTitles: () => workspace.tabs.map((t) => workspace.titleOf(t)),
    activeTab: () => workspace.activeTabIndex,
    panes: () => {
      const tab = workspace.active;
      if (!tab) return [];
      return panesOf(tab.tree).filter((p): p is TerminalPane => p instanceof TerminalPane).map((p) => ({
        id: p.id,
        cols: p.term.cols,
        rows: p.term.rows,
        renderer: p.renderer,
        width: p.element.clientWidth,
        height: p.element.clientHeight,
        fitted: p.isFitted(),
        focused: p === tab.focused,
        cwd: p.cwd,
        receivedBytes: p.receivedBytes,
        ackedBytes: p.ackedBytes,
        ssh: p.ssh,
        waitingForEnter: p.waitingForEnter,
        commands: p.commands ? p.commands.list.map((c) => ({ seq: c.seq, command: c.command, exitCode: c.exitCode, promptLine: c.prompt.line, output: p.commands!.outputText(c) })) : null,
        recording: p.recording,
        held: p.held ? { ...p.held.bar.view } : null,
      }));
    },
    canvases: () => {
      const pane = focused();
      if (!pane) return [];
      return Array.from(pane.element.querySelectorAll<HTMLCanvasElement>('.xterm-screen canvas')).map((c) => {
        const rect = c.getBoundingClientRect();
        return { width: c.width, height: c.height, cssWidth: rect.width, cssHeight: rect.height };
      });
    },
    font: () => {
      const pane = focused();
      if (!pane) return { sizePx: 0, renderedSizePx: 0, family: '', cellWidth: 0, cellHeight: 0 };
      const screen = pane.element.querySelector<HTMLElement>('.xterm-screen');
      const rect = screen?.getBoundingClientRect();
      return {
        sizePx: pane.configuredFontPx,
        renderedSizePx: pane.term.options.fontSize ?? 0,
        family: pane.term.options.fontFamily ?? '',
        cellWidth: rect ? rect.width / pane.term.cols : 0,
        cellHeight: rect ? rect.height / pane.term.rows : 0,
      };
    },
    screenBox: () => {
      const pane = focused();
      const screen = pane?.element.querySelector<HTMLElement>('.xterm-screen');
      return { pane: boxOf(pane?.element), screen: boxOf(screen) };
    },
    devicePixelRatio: () => window.devicePixelRatio,
    viewport: () => {
      const buffer = focused()?.term.buffer.active;
      return { viewportY: buffer?.viewportY ?? 0, baseY: buffer?.baseY ?? 0 };
    },
    rendererChoice: () => ({ ...rendererChoice() }),
    notebooks,
    notebookTokens,
    hostPicker,
    transportRoute,
    renderPacing: () => {
      const hooks = focused()?.renderHooks;
      if (!hooks) return null;
      return { ...hooks.pacer.stats, holding: hooks.pacer.holding, flooding: hooks.pacer.flooding, skippedSelectionRedraws: hooks.skippedSelectionRedraws() };
    },
    onRender: (listener) => {
      const subscription = focused()?.term.onRender(() => listener());
      return () => subscription?.dispose();
    },
  };
  Object.defineProperty(window, '__modus', { value: Object.freeze(hook), writable: false, configurable: false });
}
