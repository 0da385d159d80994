// Faults a test can inject into one device (SimDevice.fault). They stay until
// clearFaults(), except malformed-reply, which spoils one reply.

export type SimFault =
  /** lock-configuration (and <lock>) fails, naming `by` as the holder. */
  | { kind: 'lock-held'; by: string }
  /** lock-configuration fails with "configuration database modified", `by` having uncommitted changes. */
  | { kind: 'candidate-modified'; by: string }
  /** Every session answers `rpcs` RPCs; the next one is read, not executed, and the connection closes. */
  | { kind: 'drop-after'; rpcs: number }
  /**
   * Each reply waits `msPerRpc` first. This uses the REAL clock even when the
   * simulator's clock is manual: it exists to exercise clients' :timeout
   * handling, which runs on real time.
   */
  | { kind: 'slow'; msPerRpc: number }
  /**
   * The netconf subsystem exits at once (status 1) with an error on stderr,
   * as when NETCONF is not enabled. OpenSSH's sshd does not forward a
   * subsystem's stderr, so the client sees no hello, the channel closing and
   * exit status 1; SimDeviceRuntime.refusedSessions counts these.
   */
  | { kind: 'refuse-subsystem' }
  /** The next reply is not well-formed XML. */
  | { kind: 'malformed-reply' };

export type FaultKind = SimFault['kind'];
