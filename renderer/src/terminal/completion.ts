// Alt+/ word completion across all open terminals (see abbrev.ts for the
// rules). Keeps the cycle between presses; any other input ends it.

import { advanceCompletion, startCompletion, wordBeforeCursor, type CompletionCycle } from './abbrev.js';
import type { TerminalPane } from './terminal-pane.js';

/** Lines of scrollback above the viewport that still count as "recent". */
const RECENT_SCROLLBACK_LINES = 500;

export class WordCompletion {
  private state: { pane: TerminalPane; cycle: CompletionCycle } | null = null;

  /** Ends the current cycle (the user typed something else). */
  reset(): void {
    this.state = null;
  }

  /** Completes in `pane`, drawing words from `panes` (all open terminals). Returns false when nothing matched. */
  complete(pane: TerminalPane, panes: readonly TerminalPane[]): boolean {
    if (this.state && this.state.pane === pane) {
      const { cycle, input } = advanceCompletion(this.state.cycle);
      this.state = { pane, cycle };
      pane.input(input);
      return true;
    }
    const before = pane.textBeforeCursor();
    const prefix = wordBeforeCursor(before, before.length);
    // The pane being typed in is the most recent source, then the others by last use.
    const ordered = [pane, ...panes.filter((p) => p !== pane).sort((a, b) => b.lastActive - a.lastActive)];
    const sources = ordered.map((p) => p.recentLines(p.term.rows + RECENT_SCROLLBACK_LINES));
    const started = startCompletion(prefix, sources);
    if (!started) {
      this.state = null;
      return false;
    }
    this.state = { pane, cycle: started.cycle };
    pane.input(started.input);
    return true;
  }
}
