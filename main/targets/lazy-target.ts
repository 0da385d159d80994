// A target whose code is loaded when a block first needs it. A run over
// Linux hosts never loads the Junos target (its NETCONF session, XML
// parser and reply tree: about 20 ms of a start that comes before the
// first host is contacted); a run with Junos devices loads it once.

import type { RunIO, ScriptOutcome, ScriptRequest, SessionOptions, Target, TargetSession } from './target.js';

export class LazyTarget implements Target {
  private loaded: Promise<Target> | null = null;

  constructor(
    private readonly label: string,
    private readonly load: () => Promise<Target>,
  ) {}

  private target(): Promise<Target> {
    return (this.loaded ??= this.load());
  }

  describe(): string {
    return this.label;
  }

  async run(req: ScriptRequest, io: RunIO): Promise<ScriptOutcome> {
    return (await this.target()).run(req, io);
  }

  async openSession(name: string, options?: SessionOptions): Promise<TargetSession> {
    return (await this.target()).openSession(name, options);
  }

  async dispose(): Promise<void> {
    // Never loaded, or failed to: nothing to end (and no reason to load it now).
    const target = await this.loaded?.catch(() => null);
    await target?.dispose();
  }
}
