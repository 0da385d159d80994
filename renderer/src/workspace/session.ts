// Saves the session (tabs, splits, each pane's cwd, title and recent
// scrollback) so a restart brings it back: debounced after changes,
// periodically while output arrives, and when the page goes away.

import type { SessionLayout } from '../../../main/protocol.js';

const DEBOUNCE_MS = 1000;
const PERIODIC_MS = 30_000;

export class SessionSaver {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private outputSinceSave = false;
  private enabled = false;

  constructor(
    private readonly snapshot: () => SessionLayout,
    private readonly save: (layout: SessionLayout) => void,
  ) {
    setInterval(() => {
      if (this.outputSinceSave) this.flush();
    }, PERIODIC_MS);
    window.addEventListener('beforeunload', () => this.flush());
  }

  /** Saving starts only once the previous session was restored, so a half-built layout never overwrites it. */
  enable(): void {
    this.enabled = true;
  }

  /** Layout, cwd or title changed. */
  changed(): void {
    if (!this.enabled) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), DEBOUNCE_MS);
  }

  /** Output arrived: the scrollback is worth saving on the next periodic tick. */
  output(): void {
    this.outputSinceSave = true;
  }

  flush(): void {
    if (!this.enabled) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.outputSinceSave = false;
    this.save(this.snapshot());
  }
}
