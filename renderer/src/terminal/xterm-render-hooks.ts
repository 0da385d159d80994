// Two changes to how xterm.js 6 schedules drawing, made through its private
// RenderService and SelectionService (the public API has no say in when rows
// are drawn). Both are about floods; neither changes the screen a flood
// leaves behind, only how many screens are drawn on the way.
//
// 1. Row refreshes go through a RenderPacer (render-pacer.ts): in a flood,
//    at most one update per interval.
// 2. A selection redraw with no selection now and none drawn is skipped.
//    xterm's SelectionService asks for one on every scroll, even when nothing
//    is selected, and the DOM renderer answers each by re-rendering every
//    row, outside the refresh path: in a scrolling flood every frame drew
//    the whole screen twice, and the second drawing escaped any pacing.
//
// Measured on the 2-core machine without a GPU (DOM renderer), 200 MB cat
// through modus serve: 23 → 25.5 MB/s, 0.75 → 0.90–0.94 of xterm's own
// in-page write() rate, the GPU process's CPU 3.9 → 2.5 s. Either hook alone
// gained little in a 50 MB trial: pacing alone is undone by the selection
// redraws, and without pacing the skipped redraws are replaced by frames.
//
// Private internals move between xterm releases. When they are not found the
// hooks stay off with a console warning, and the terminal works as before;
// an end-to-end test fails then (test/e2e/terminal-render-pacing.test.ts),
// so an upgrade that breaks them does not go unnoticed.

import type { Terminal } from '@xterm/xterm';
import { RenderPacer, DEFAULT_PACING, type PacerOptions } from './render-pacer.js';

/** The parts of xterm's RenderService (src/browser/services/RenderService.ts) used here. */
interface RenderServiceInternals {
  refreshRows(start: number, end: number, isRedrawOnly?: boolean): void;
  /** The selection the renderer was last told to draw. */
  readonly _selectionState: { start?: [number, number]; end?: [number, number] };
}

/** The parts of xterm's SelectionService (src/browser/services/SelectionService.ts) used here. */
interface SelectionServiceInternals {
  readonly hasSelection: boolean;
  refresh(isLinuxMouseSelection?: boolean): void;
}

interface Internals {
  render: RenderServiceInternals;
  selection: SelectionServiceInternals;
}

function internalsOf(term: Terminal): Internals | null {
  // Private: Terminal._core is xterm's CoreBrowserTerminal, whose services exist after open().
  const core = (term as unknown as { _core?: { _renderService?: Partial<RenderServiceInternals>; _selectionService?: Partial<SelectionServiceInternals> } })._core;
  const render = core?._renderService;
  const selection = core?._selectionService;
  if (!render || typeof render.refreshRows !== 'function' || typeof render._selectionState !== 'object') return null;
  if (!selection || typeof selection.refresh !== 'function' || typeof selection.hasSelection !== 'boolean') return null;
  return { render: render as RenderServiceInternals, selection: selection as SelectionServiceInternals };
}

export interface RenderHooks {
  readonly pacer: RenderPacer;
  /** Selection redraws skipped because there was no selection before or after. */
  readonly skippedSelectionRedraws: () => number;
  /** Restores xterm's own methods; whatever the pacer gathered is drawn. */
  dispose(): void;
}

/**
 * Installs both hooks on an opened terminal; null (with a warning) when this
 * xterm does not have the internals they need.
 */
export function installRenderHooks(term: Terminal, backlog: () => number, options: PacerOptions = DEFAULT_PACING): RenderHooks | null {
  const internals = internalsOf(term);
  if (!internals) {
    console.warn('modus: this xterm.js has no RenderService or SelectionService where expected; flood render pacing is off');
    return null;
  }
  const { render: service, selection } = internals;
  // Own properties shadow the prototype's methods; deleting them restores xterm's.
  const refreshRows = service.refreshRows.bind(service);
  const refreshSelection = selection.refresh.bind(selection);
  const pacer = new RenderPacer(refreshRows, backlog, options);
  let skipped = 0;
  service.refreshRows = (start, end, isRedrawOnly = false) => pacer.refresh(start, end, isRedrawOnly);
  // Asked on every scroll. Every redraw goes through here; one is needed when
  // something is selected now, or was drawn selected (to clear it).
  selection.refresh = (isLinuxMouseSelection) => {
    const drawn = service._selectionState;
    if (!selection.hasSelection && (drawn.start === undefined || drawn.end === undefined)) {
      skipped++;
      return;
    }
    refreshSelection(isLinuxMouseSelection);
  };
  return {
    pacer,
    skippedSelectionRedraws: () => skipped,
    dispose: () => {
      delete (service as unknown as Record<string, unknown>).refreshRows;
      delete (selection as unknown as Record<string, unknown>).refresh;
      pacer.dispose();
    },
  };
}
