// Time for the output path (batching windows, parse-rate samples). Injected
// so that the flow-control simulation (test/unit/terminals/flow-simulation)
// runs a pty, the host and a renderer on one virtual clock: verdicts about
// timing then do not depend on how fast or busy the machine is.

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  // Looked up at each call, so node:test's mock.timers still applies.
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
