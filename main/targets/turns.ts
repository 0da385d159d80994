// Turns at one shell: whoever asks first goes first, one at a time; a
// waiter whose signal aborts leaves the line at once (a block cancelled
// while it waits for a session held by hand must end now, not when the
// session is handed back).

type Release = () => void;

interface Waiter {
  grant(release: Release): void;
}

export class Turns {
  private busy = false;
  private readonly line: Waiter[] = [];

  /** Whether someone has the turn now. */
  get taken(): boolean {
    return this.busy;
  }

  /**
   * Resolves with the function that ends the turn, or null when `signal`
   * aborted first. `queued` is called (synchronously) when the caller has
   * to wait.
   */
  take(signal?: AbortSignal, queued?: () => void): Promise<Release | null> {
    if (signal?.aborted) return Promise.resolve(null);
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = (): void => {
        const i = this.line.indexOf(waiter);
        if (i >= 0) this.line.splice(i, 1);
        resolve(null);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.line.push(waiter);
      queued?.();
    });
  }

  private releaser(): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.line.shift();
      if (next) next.grant(this.releaser());
      else this.busy = false;
    };
  }
}
