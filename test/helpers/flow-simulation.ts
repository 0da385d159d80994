// A terminal's output path on a virtual clock: a program flooding a pty,
// the host's OutputFlow (the real batcher and flow control) reading it, and
// a renderer of a given speed parsing batches one after another and
// acknowledging them across a transport with latency. The user presses
// Ctrl+C after a while; the simulation tells when the prompt was parsed.
// Every party is a model, the host's code is the real one, and the verdicts
// are the same on any machine (the clock is virtual).

import { OutputFlow } from '../../main/terminals/output-flow.js';
import type { Watermarks } from '../../main/terminals/flow-control.js';
import type { BatchOptions } from '../../main/terminals/output-batcher.js';
import { VirtualClock } from './virtual-clock.js';

export const MB = 1024 * 1024;

/** The program and the kernel's pty. */
export interface ProducerModel {
  /** How fast the program writes while the pty has room. */
  bytesPerSecond: number;
  /** The most one read of the pty returns (the tty layer hands over about 4 KB at a time on an idle machine). */
  readBytes: number;
  /** How often the host's event loop gets to read (lower on an idle machine). */
  readIntervalMs: number;
  /** What the kernel holds before the writer blocks. */
  kernelBytes: number;
}

/** The page: xterm.js parsing batches one at a time. */
export interface RendererModel {
  /** Parse speed for this kind of output. */
  bytesPerSecond: number;
  /** Fixed cost of each message (event dispatch, the write call, a frame it may draw). */
  perMessageMs: number;
  /** One way, host ⇄ page. */
  latencyMs: number;
}

export interface FloodScenario {
  producer: ProducerModel;
  renderer: RendererModel;
  /** Ctrl+C is pressed this long after the flood starts. */
  floodMs: number;
  watermarks?: Watermarks;
  batch?: BatchOptions;
  /** Output before this flood, to start with flow control's estimate from another kind of output. */
  before?: { renderer: RendererModel; producer: ProducerModel; floodMs: number };
}

export interface FloodResult {
  /** From the Ctrl+C keydown in the page to the prompt parsed there. */
  interruptMs: number;
  /** Bytes the page parsed per second of the flood, against what it could parse were it never idle. */
  throughputShare: number;
  /** The most bytes that were sent and not yet acknowledged. */
  maxOutstanding: number;
  /** The largest batch sent. */
  maxBatch: number;
  /** The most bytes the host had read from the pty and not yet sent (its memory). */
  maxHeld: number;
  /** Bytes the host read from the pty, sent to the page, and the page parsed, over the whole run: equal once the prompt is shown. */
  pushed: number;
  sent: number;
  parsed: number;
}

const PROMPT = Buffer.from('^C\r\n$ ');

/** Runs one flood and its Ctrl+C; see FloodScenario. */
export function simulateFlood(scenario: FloodScenario): FloodResult {
  const clock = new VirtualClock();
  let producer = scenario.before?.producer ?? scenario.producer;
  let renderer = scenario.before?.renderer ?? scenario.renderer;

  // The pty: the program fills the kernel's buffer at its rate; the host reads it when not paused.
  let buffered = 0;
  let lastFill = 0;
  let writing = true;
  let paused = false;
  let readScheduled = false;
  let promptPending = false;
  const fill = (): void => {
    const now = clock.now();
    if (writing) buffered = Math.min(producer.kernelBytes, buffered + ((now - lastFill) * producer.bytesPerSecond) / 1000);
    lastFill = now;
  };
  const scheduleRead = (): void => {
    if (readScheduled || paused) return;
    readScheduled = true;
    clock.setTimeout(() => {
      readScheduled = false;
      if (paused) return;
      fill();
      const n = Math.floor(Math.min(buffered, producer.readBytes));
      if (n > 0) {
        buffered -= n;
        output.push(Buffer.alloc(n, 0x79));
      } else if (promptPending) {
        promptPending = false;
        output.push(PROMPT);
        promptPushedAt = pushed;
      }
      if (writing || buffered > 0 || promptPending) scheduleRead();
    }, producer.readIntervalMs);
  };

  // The page: parses what arrives in order, acknowledges each batch once parsed.
  const inbox: Buffer[] = [];
  let parsing = false;
  let parsed = 0;
  let pushed = 0;
  let promptPushedAt = Infinity;
  let promptShownAt: number | null = null;
  const parseNext = (): void => {
    const batch = inbox.shift();
    if (batch === undefined) {
      parsing = false;
      return;
    }
    parsing = true;
    const cost = renderer.perMessageMs + (batch.byteLength / renderer.bytesPerSecond) * 1000;
    clock.setTimeout(() => {
      parsed += batch.byteLength;
      if (promptShownAt === null && parsed >= promptPushedAt) promptShownAt = clock.now();
      clock.setTimeout(() => output.ack(batch.byteLength), renderer.latencyMs);
      parseNext();
    }, cost);
  };

  let sent = 0;
  let maxOutstanding = 0;
  let maxBatch = 0;
  const output = new OutputFlow(
    {
      pause: () => (paused = true),
      resume: () => {
        paused = false;
        fill();
        scheduleRead();
      },
    },
    (batch) => {
      sent += batch.byteLength;
      maxBatch = Math.max(maxBatch, batch.byteLength);
      maxOutstanding = Math.max(maxOutstanding, output.unacknowledged);
      clock.setTimeout(() => {
        inbox.push(batch);
        if (!parsing) parseNext();
      }, renderer.latencyMs);
    },
    { watermarks: scenario.watermarks, batch: scenario.batch, clock },
  );
  let maxHeld = 0;
  const countedPush = output.push.bind(output);
  output.push = (chunk: Uint8Array): void => {
    pushed += chunk.byteLength;
    countedPush(chunk);
    maxHeld = Math.max(maxHeld, pushed - sent);
  };

  /** Ctrl+C: the program stops writing, and the shell prints its prompt after what the pty still holds. */
  const interrupt = (): void => {
    clock.setTimeout(() => {
      output.inputWritten();
      fill();
      writing = false;
      promptPending = true;
      scheduleRead();
    }, renderer.latencyMs);
  };
  const runFlood = (floodMs: number): void => {
    writing = true;
    lastFill = clock.now();
    scheduleRead();
    clock.runUntil(clock.now() + floodMs);
    interrupt();
  };

  if (scenario.before) {
    runFlood(scenario.before.floodMs);
    if (!clock.runUntilTrue(() => promptShownAt !== null, 60_000)) throw new Error('the earlier flood never showed its prompt');
    clock.runUntil(clock.now() + 500);
    producer = scenario.producer;
    renderer = scenario.renderer;
    promptShownAt = null;
    promptPushedAt = Infinity;
  }
  maxOutstanding = 0;
  maxBatch = 0;
  maxHeld = 0;
  const parsedBefore = parsed;
  const start = clock.now();
  runFlood(scenario.floodMs);
  const pressedAt = clock.now();
  const parsedInFlood = parsed - parsedBefore;
  if (!clock.runUntilTrue(() => promptShownAt !== null, 60_000)) throw new Error('the prompt never came');
  const capacity = Math.min(renderer.bytesPerSecond, producer.bytesPerSecond) * ((pressedAt - start) / 1000);
  return {
    interruptMs: promptShownAt! - pressedAt,
    throughputShare: parsedInFlood / capacity,
    maxOutstanding,
    maxBatch,
    maxHeld,
    pushed,
    sent,
    parsed,
  };
}
