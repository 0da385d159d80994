// A fresh run's client that sets its host's connection up itself. With
// ControlMaster=yes and ControlPersist, ssh authenticates, forks the master
// off into the background and carries on as that master's first client: one
// process for Modus to start per host instead of a `-N -f` master and then a
// client. Spawns are what a fan-out pays for most on the client side (a fork
// of a big process, an exec and a config read each), and a cold run over 50
// hosts started 100 ssh processes where pssh starts 50.
//
// The connection (ssh-connection.ts) waits on this handshake: the client
// says `proven()` once its remote command answered (authentication is over
// and the master's socket is listening), or `ended(code)` when it exited
// before that; the connection then gives every waiting block the socket or
// the failure, classified from the log, as it does for a `-N -f` master.

export type FirstClientOutcome = { proven: true } | { proven: false; code: number | null; stopped: boolean };

export class FirstClient {
  private settle!: (o: FirstClientOutcome) => void;
  /** What the connection waits for. */
  readonly outcome = new Promise<FirstClientOutcome>((resolve) => (this.settle = resolve));

  constructor(
    /** Options that make this client the master: put before destinationArgs. */
    readonly args: string[],
    readonly env: Record<string, string>,
    /**
     * The client's stderr: a file, never a pipe, because a ProxyJump child
     * started before the master forked keeps it for the master's whole life.
     */
    readonly stderrFd: number,
    /** What the client (and its ProxyJump child) wrote to stderr so far. */
    readonly stderrText: () => Promise<string>,
  ) {}

  /** The remote command answered: the connection is up. */
  proven(): void {
    this.settle({ proven: true });
  }

  /** The client exited before its remote command answered, or was never started (code null); `stopped`: its block was. */
  ended(code: number | null, stopped = false): void {
    this.settle({ proven: false, code, stopped });
  }
}
