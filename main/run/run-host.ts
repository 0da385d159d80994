// One block on one host: run it through a target (or session), capture what
// the terminal shows, spool the raw bytes for the journal, apply the timeout,
// and turn the outcome and the expectations into a verdict.

import type { Status } from '../notebook/types.js';
import type { ScriptOutcome, ScriptRequest, ScriptRunner } from '../targets/target.js';
import { evaluateXpathExpectation } from '../notebook/xpath-expect.js';
import { CAPTURE_COLS, TerminalCapture } from './capture.js';
import { RawOutputSpool, type RawOutput } from './raw-output.js';
import { redactText } from './redact.js';
import { formatDuration } from '../notebook/report-format.js';

export interface HostRunSpec {
  /** Label written in results and the journal (`local`, `r1`). */
  host: string;
  runner: ScriptRunner;
  request: ScriptRequest;
  timeoutMs: number;
  expect: readonly RegExp[];
  /** XPath expressions the run's XML replies must make true (Junos `:expect-xpath`). */
  expectXpath?: readonly string[];
  expectExit: number;
  redact: readonly RegExp[];
  /** Cancels the run (status `cancelled`). */
  signal: AbortSignal;
  /** Live raw output (for a UI); called after capture and spool got the bytes. */
  onOutput?: (bytes: Uint8Array) => void;
  /** The run waits for its session, held by hand (why), or starts after waiting (null). */
  onWaiting?: (why: string | null) => void;
}

export interface ExpectationResult {
  pattern: string;
  matched: boolean;
  /** `xpath` for an `:expect-xpath` (pattern is the expression); absent for an `:expect` regex. */
  kind?: 'xpath';
  /** Why an XPath could not be evaluated (the reply was not XML, an unknown function…). */
  error?: string;
}

export interface HostRunResult {
  host: string;
  start: Date;
  end: Date;
  exitCode: number | null;
  status: Status;
  /** What goes into the results block: captured text (redacted), then a `modus:` line saying why when it did not pass. */
  text: string;
  /** Why it did not pass, in a sentence. */
  message?: string;
  expectations: ExpectationResult[];
  /**
   * Full raw output (redacted when :redact is given), for the journal: small
   * output in memory, big output as a compressed spool file that the journal
   * append takes over (and disposes).
   */
  raw: RawOutput;
  /** Lines left out of `text` (head and tail kept). */
  omitted: number;
  /** A commit confirmed this run left pending (when the device rolls it back), or null: this run confirmed it. Absent: unchanged. */
  pendingRollback?: { at: Date } | null;
}

const TIMEOUT = 'timeout';

export async function runOnHost(spec: HostRunSpec): Promise<HostRunResult> {
  let start = new Date();
  const capture = new TerminalCapture(spec.request.cols ?? CAPTURE_COLS, spec.expect);
  const spool = await RawOutputSpool.create(spec.redact);
  const stop = new AbortController();
  const onCancel = (): void => stop.abort('cancelled');
  if (spec.signal.aborted) stop.abort('cancelled');
  spec.signal.addEventListener('abort', onCancel, { once: true });
  const startClock = (): NodeJS.Timeout => setTimeout(() => stop.abort(TIMEOUT), spec.timeoutMs);
  let timer = startClock();
  let outcome: ScriptOutcome;
  try {
    outcome = await spec.runner.run(spec.request, {
      signal: stop.signal,
      // Time spent waiting for a session held by hand is not the block's: its clock and timeout start when it runs.
      waiting: (why) => {
        clearTimeout(timer);
        if (why === null) {
          start = new Date();
          timer = startClock();
        }
        spec.onWaiting?.(why);
      },
      onData: (bytes) => {
        const captured = capture.write(bytes);
        const spooled = spool.write(bytes);
        spec.onOutput?.(bytes);
        if (captured && spooled) return Promise.all([captured, spooled]).then(() => undefined);
        return captured ?? spooled;
      },
    });
  } catch (e) {
    outcome = { kind: 'failed', message: (e as Error).message };
  } finally {
    clearTimeout(timer);
    spec.signal.removeEventListener('abort', onCancel);
  }
  const [captured, raw] = await Promise.all([capture.finish(), spool.finish()]);
  const end = new Date();
  const expectations: ExpectationResult[] = spec.expect.map((re, i) => ({ pattern: re.source, matched: captured.matchedInOmitted.includes(i) || matches(re, captured.text) }));
  for (const expr of spec.expectXpath ?? []) expectations.push(xpathExpectation(expr, outcome));
  const verdict = judge(outcome, stop.signal.reason, spec, expectations);
  const shown = redactText(captured.text, spec.redact);
  const text = withVerdict(shown, verdict.message);
  return {
    host: spec.host, start, end, exitCode: verdict.exitCode, status: verdict.status, text,
    ...(verdict.message ? { message: verdict.message } : {}),
    expectations, raw, omitted: captured.omitted,
    ...(outcome.details?.pendingRollback !== undefined ? { pendingRollback: outcome.details.pendingRollback } : {}),
  };
}

/** A results body: the captured text, then a `modus:` line saying why it did not pass (when it did not). */
export function withVerdict(shown: string, message: string | undefined): string {
  if (!message) return shown;
  return shown === '' ? `modus: ${message}` : `${shown}\nmodus: ${message}`;
}

/** Why a program that exited with `code` does not pass, as results say it. */
export function exitMessage(code: number, expected: number): string {
  return `exit status ${code}, expected ${expected}`;
}

function xpathExpectation(expr: string, outcome: ScriptOutcome): ExpectationResult {
  const replies = outcome.details?.xml;
  if (outcome.kind !== 'exited' || !replies || replies.length === 0) return { pattern: expr, kind: 'xpath', matched: false, error: 'no XML reply to evaluate it on' };
  const v = evaluateXpathExpectation(expr, replies);
  return 'error' in v ? { pattern: expr, kind: 'xpath', matched: false, error: v.error } : { pattern: expr, kind: 'xpath', matched: v.value };
}

function unmet(e: ExpectationResult): string {
  if (e.kind !== 'xpath') return `expected /${e.pattern}/ not found in the output`;
  return e.error ? `expected XPath ${e.pattern} could not be evaluated: ${e.error}` : `expected XPath ${e.pattern} is false on the reply`;
}

function matches(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  const hit = re.test(text);
  re.lastIndex = 0;
  return hit;
}

interface Verdict {
  status: Status;
  exitCode: number | null;
  message?: string;
}

function judge(outcome: ScriptOutcome, reason: unknown, spec: HostRunSpec, expectations: ExpectationResult[]): Verdict {
  switch (outcome.kind) {
    case 'failed':
      return { status: 'error', exitCode: null, message: outcome.message };
    case 'aborted': {
      const after = outcome.details?.message ? `; ${outcome.details.message}` : '';
      const stopped = outcome.details?.stopped === false ? '' : ' and was stopped';
      return reason === TIMEOUT
        ? { status: 'timeout', exitCode: null, message: `timed out after ${formatDuration(spec.timeoutMs)}${stopped}${after}` }
        : { status: 'cancelled', exitCode: null, message: `cancelled${after}` };
    }
    case 'exited': {
      const code = outcome.exitCode;
      if (outcome.signal && code === 0) {
        return { status: 'fail', exitCode: null, message: `killed by signal ${outcome.signal}` };
      }
      const problems: string[] = [];
      // A target that says why it failed (a Junos device's error) is told in its words, not as an exit status.
      if (code !== spec.expectExit) problems.push(code !== 0 && outcome.details?.message ? outcome.details.message : exitMessage(code, spec.expectExit));
      for (const e of expectations) if (!e.matched) problems.push(unmet(e));
      return problems.length > 0 ? { status: 'fail', exitCode: code, message: problems.join('; ') } : { status: 'pass', exitCode: code };
    }
  }
}

export { formatDuration };
