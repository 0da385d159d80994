// The resolver for this issue: blocks without :host run on the local target;
// any other host has no transport yet (SSH and Junos plug in here later,
// through their own Target implementations, without touching the engine).

import { LocalTarget } from '../targets/local.js';
import type { Target, TargetResolver } from '../targets/target.js';

export class LocalOnlyResolver implements TargetResolver {
  private local: LocalTarget | null = null;

  constructor(private readonly notebookDir: string) {}

  resolve(host: string | undefined): Target | { error: string } {
    if (host === undefined || host === 'local' || host === 'localhost') {
      this.local ??= new LocalTarget({ defaultCwd: this.notebookDir });
      return this.local;
    }
    return { error: `no transport for host ${host} yet (only local blocks run in this version)` };
  }

  async dispose(): Promise<void> {
    await this.local?.dispose();
    this.local = null;
  }
}
