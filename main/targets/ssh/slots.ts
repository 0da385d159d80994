// A counting semaphore: at most N connection setups at once, however many
// hosts a block fans out to (200 handshakes at once would be a burst of
// processes, file descriptors and sshd MaxStartups refusals); at most N ssh
// clients at once where the open-file limit is low (client-budget.ts).

export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = Math.max(1, size);
  }

  /** Runs `fn` in a slot; `waited(true)` when it has to wait for one, `waited(false)` once it has it. */
  async use<T>(fn: () => Promise<T>, waited?: (waiting: boolean) => void): Promise<T> {
    if (this.free > 0) this.free--;
    else {
      waited?.(true);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      waited?.(false);
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
