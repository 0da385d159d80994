// Where code runs. A Target knows how to run a script in some language on one
// machine (this one through node-pty; later a Linux host over SSH, a Junos
// router over NETCONF) and stream back what a terminal would receive. It knows
// nothing of notebooks: the engine (main/run) turns blocks into ScriptRequests
// and outcomes into verdicts, so a new transport plugs in by implementing this
// file's interfaces only.

export interface ScriptRequest {
  /** Language from the fence (`sh`, `bash`, `python3`, `perl`, `junos`…); the target decides how to run it. */
  language: string;
  /** The code to run, variables already substituted. */
  script: string;
  /**
   * Working directory. For a fresh run: where the process starts (absent = the
   * target's default). In a session: the session changes into it first, and it
   * stays there for the blocks that follow (like typing `cd`).
   */
  cwd?: string;
  /** Terminal width the program sees (COLUMNS and the pty size). */
  cols?: number;
  /**
   * What a Junos target is to do with `script` (targets that are not Junos
   * ignore it; a Junos target refuses a request without it). The engine
   * decides it from the block; the target only carries it out.
   */
  junos?: JunosWork;
}

/** Work for a Junos device over NETCONF. */
export type JunosWork =
  /** Operational commands, one RPC each, in order; the first that fails ends the run. */
  | { kind: 'op'; commands: string[]; format: 'text' | 'xml' }
  /** A configuration change: lock (or a private candidate), load, diff, commit check, then commit or roll back. */
  | { kind: 'config'; load: JunosLoad; commit: JunosCommitMode; private: boolean; log: string }
  /** Confirms a pending commit confirmed (a plain commit under the lock, with nothing loaded). */
  | { kind: 'confirm'; log: string }
  /**
   * Rolls a pending commit confirmed back now, as the device would at its
   * deadline: the configuration from before it loaded (`rollback N`) and
   * committed plainly under the lock, with nothing else loaded.
   */
  | { kind: 'rollback'; log: string };

export type JunosLoad =
  /** Curly-brace configuration text. */
  | { format: 'text'; action: 'merge' | 'replace' | 'override'; text: string }
  /** `set`/`delete`/… lines. */
  | { format: 'set'; text: string }
  /** The candidate replaced by rollback N (0 to 49). */
  | { format: 'rollback'; index: number };

export type JunosCommitMode =
  /** Check only, then roll back: nothing changes on the device. */
  | { mode: 'check' }
  /** Commit, rolled back by the device after `minutes` unless confirmed. */
  | { mode: 'confirmed'; minutes: number }
  | { mode: 'now' };

/** What a target adds to an outcome beyond the bytes it streamed. */
export interface RunDetails {
  /**
   * For `exited` with a non-zero status: why, in the target's words (the
   * verdict says this instead of "exit status N"). For `aborted`: what
   * stopping did (said after "timed out…" or "cancelled").
   */
  message?: string;
  /**
   * For `aborted`: false when the target could not make sure the run was
   * stopped (`message` then says what may be left and how to end it by
   * hand), so the verdict does not claim it was. Absent: it was stopped.
   */
  stopped?: false;
  /** XML documents the run received, in order (Junos replies to `:format xml` commands): what XPath expectations are evaluated on. */
  xml?: string[];
  /**
   * A commit confirmed the device will roll back at `at` unless it is
   * confirmed; null: none is pending any more (this run confirmed it).
   * Absent: this run did not change it.
   */
  pendingRollback?: { at: Date } | null;
}

export type ScriptOutcome = (
  /** The program ran and ended; `signal` is set when it was killed by one. */
  | { kind: 'exited'; exitCode: number; signal?: number }
  /** io.signal fired: the run was stopped (process group killed). The reason is the signal's reason. */
  | { kind: 'aborted' }
  /** It could not run at all: missing interpreter or directory, unreachable host, authentication… */
  | { kind: 'failed'; message: string }
) & { details?: RunDetails };

export interface RunIO {
  /** Aborting stops the run; the outcome is then `aborted` (unless it ended first). */
  signal: AbortSignal;
  /**
   * Raw bytes as the terminal received them (not decoded: may be invalid UTF-8).
   * Returning a promise asks the target to stop reading until it settles (flow control).
   */
  onData(bytes: Uint8Array): void | Promise<void>;
  /**
   * The run waits for its session, which a person holds by hand (a terminal
   * tab): why, in a sentence; null once it starts. Its time (and timeout)
   * counts from then.
   */
  waiting?(why: string | null): void;
}

/** Anything that runs scripts: a target (fresh process per run) or one of its sessions. */
export interface ScriptRunner {
  run(req: ScriptRequest, io: RunIO): Promise<ScriptOutcome>;
}

export interface SessionOptions {
  /** Where the session's shell starts (absent = the target's default). */
  cwd?: string;
  cols?: number;
}

/**
 * A long-lived shell on a target that keeps cwd and variables between runs.
 * Runs are serialised by the session. A run that is aborted (timeout, cancel)
 * ends the session's shell: its state after an interrupted command is unknown;
 * the next run starts a new shell and says so in its output.
 */
export interface TargetSession extends ScriptRunner {
  readonly name: string;
  dispose(): Promise<void>;
  /**
   * Hands the session's shell to a person (a terminal tab): once the run in
   * progress (if any) ends, the shell reads lines they type, in its own
   * process (cwd, variables, functions), until they hand it back. Runs asked
   * for meanwhile wait, and are told why (RunIO.waiting). Absent: this kind
   * of session cannot be taken over.
   */
  takeOver?(holder: SessionHolder, size: { cols: number; rows: number }, signal: AbortSignal): Promise<SessionHold | { error: string }>;
}

/** Who holds a session by hand: a terminal tab. */
export interface SessionHolder {
  /** Where it is held, for the messages of the blocks that wait: `terminal tab "…"`. */
  readonly where: string;
  /** The shell's terminal output (raw bytes). A promise pauses reading until it settles (flow control). */
  onData(bytes: Uint8Array): void | Promise<void>;
  /** The take-over waits for a block of the session to end first: why. */
  onWaiting?(why: string): void;
  /** At the prompt (`command` null), or running a command typed by hand. */
  onState?(command: string | null): void;
  /** The hold is over: the shell is the notebook's again (or it is gone). */
  onEnd(end: HoldEnd): void;
}

export type HoldEnd =
  /** `how`: Modus's hand-back (a button, a closed tab), Ctrl+D, or `exit` typed. */
  | { kind: 'handed-back'; how: 'request' | 'eof' | 'exit' }
  /** The shell itself ended while held (killed, or `exec` of a program that ended). */
  | { kind: 'shell-ended'; message: string }
  /** The session was closed (its notebook was closed, the app quits). */
  | { kind: 'closed'; message: string };

/** A session held by hand, as its holder drives it. */
export interface SessionHold {
  /** Keystrokes (and pastes) for the shell's terminal. */
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Hands the shell back if it is at its prompt; refuses, saying why, while a command typed by hand runs. */
  handBack(): { ok: true } | { ok: false; message: string };
  /**
   * The holder went away (its tab was closed): hand back now at the prompt,
   * else as soon as the command typed by hand ends (never killing it). Its
   * output is dropped meanwhile; a new holder may attach (takeOver again).
   */
  release(): void;
  readonly ended: Promise<HoldEnd>;
}

export interface Target extends ScriptRunner {
  /** Host label for results and the journal (`local`, `r1`, `edge1`). */
  describe(): string;
  openSession(name: string, options?: SessionOptions): Promise<TargetSession>;
  /** Ends every session and connection the target holds. */
  dispose(): Promise<void>;
}

/** A host as the engine asks for one: the label results carry, and what the inventory knows of it. */
export interface HostSpec {
  /** The name results and the journal carry (`r1`, or `netops@r1` when one name is reached as two users). */
  label: string;
  /** This machine (`:host local`). */
  local?: boolean;
  /** Address to connect to; absent: the label's name, as ssh config resolves it. */
  address?: string;
  user?: string;
  port?: number;
  /** `linux`, `junos`…; absent: reached over SSH as a Linux host. */
  platform?: string;
}

/** How the engine finds a target for a host (absent host = local). Supplied by the host application. */
export interface TargetResolver {
  /** `host` is undefined for blocks without `:host`. Returns an error message instead of a target when there is none. */
  resolve(host: HostSpec | undefined): Target | { error: string };
  dispose(): Promise<void>;
}
