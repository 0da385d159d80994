// Ctrl+C in a flood, on a virtual clock: the real batcher and flow control
// (OutputFlow) between a simulated pty and simulated renderers of several
// speeds, among them the speed this machine's headless Chromium parses plain
// `yes` at (about 3 MB/s idle, half that loaded). What the user sees, the
// prompt's delay after Ctrl+C, must stay small whatever the producer, the
// renderer and what was measured before; throughput must not suffer for it.
// The verdicts do not depend on the machine running the test.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulateFlood, MB, type FloodResult, type ProducerModel, type RendererModel } from '../../helpers/flow-simulation.js';
import { DEFAULT_WATERMARKS } from '../../../main/terminals/flow-control.js';

const KB = 1024;

const PRODUCERS: Record<string, ProducerModel> = {
  // An idle machine: the host wakes for every 4 KB the tty hands over (what broke the old sizing).
  'idle machine, 4 KB reads': { bytesPerSecond: 6 * MB, readBytes: 4095, readIntervalMs: 0.7, kernelBytes: 20 * KB },
  'loaded machine, 64 KB reads': { bytesPerSecond: 10 * MB, readBytes: 64 * KB, readIntervalMs: 5, kernelBytes: 64 * KB },
  'fast producer': { bytesPerSecond: 60 * MB, readBytes: 64 * KB, readIntervalMs: 1, kernelBytes: 64 * KB },
};

const COLOURED: RendererModel = { bytesPerSecond: 25 * MB, perMessageMs: 1, latencyMs: 1 };
const RENDERERS: Record<string, RendererModel> = {
  'coloured text (25 MB/s)': COLOURED,
  'plain yes, this Chromium idle (3 MB/s)': { bytesPerSecond: 3 * MB, perMessageMs: 2, latencyMs: 1 },
  'plain yes, loaded (1.5 MB/s)': { bytesPerSecond: 1.5 * MB, perMessageMs: 3, latencyMs: 3 },
  'a page under Playwright, loaded (0.75 MB/s)': { bytesPerSecond: 0.75 * MB, perMessageMs: 5, latencyMs: 5 },
};

/** Ctrl+C after 1.5 s (as the bench presses it), and soon after the flood started, before much could be measured. */
const FLOOD_MS = [1500, 300];

interface Run {
  name: string;
  floodMs: number;
  producer: ProducerModel;
  renderer: RendererModel;
  result: FloodResult;
}

const cache = new Map<string, Run[]>();

function runAll(history: 'fresh' | 'after coloured text'): Run[] {
  const cached = cache.get(history);
  if (cached) return cached;
  const runs: Run[] = [];
  cache.set(history, runs);
  for (const [producerName, producer] of Object.entries(PRODUCERS)) {
    for (const [rendererName, renderer] of Object.entries(RENDERERS)) {
      for (const floodMs of FLOOD_MS) {
      const before = history === 'fresh' ? undefined : { producer: PRODUCERS['fast producer']!, renderer: COLOURED, floodMs: 2000 };
      const result = simulateFlood({ producer, renderer, floodMs, before });
      const name = `${producerName} → ${rendererName}, Ctrl+C after ${floodMs} ms, ${history}`;
      process.stdout.write(
        `# ${name}: Ctrl+C ${result.interruptMs.toFixed(0)} ms, throughput ${(result.throughputShare * 100).toFixed(0)}%, ` +
          `outstanding ≤ ${(result.maxOutstanding / KB).toFixed(0)} KB, held ≤ ${(result.maxHeld / KB).toFixed(0)} KB\n`,
      );
      runs.push({ name, floodMs, producer, renderer, result });
      }
    }
  }
  return runs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

for (const history of ['fresh', 'after coloured text'] as const) {
  test(`Ctrl+C in a flood → prompt: under 400 ms in every case and 200 ms typically (${history})`, () => {
    const runs = runAll(history);
    for (const { name, result } of runs) {
      assert.ok(result.interruptMs < 400, `${name}: ${result.interruptMs.toFixed(0)} ms`);
      assert.equal(result.parsed, result.pushed, `${name}: every byte read from the pty was parsed, the prompt last`);
      assert.equal(result.sent, result.pushed, `${name}: nothing left behind in the host`);
    }
    const typical = median(runs.map((r) => r.result.interruptMs));
    assert.ok(typical < 200, `median ${typical.toFixed(0)} ms`);
  });

  test(`the page is kept busy, memory stays bounded, and a fast page gets large windows (${history})`, () => {
    for (const { name, floodMs, producer, renderer, result } of runAll(history)) {
      assert.ok(result.maxOutstanding <= DEFAULT_WATERMARKS.high, `${name}: ${result.maxOutstanding} bytes outstanding at most`);
      // What the host holds is the batch being gathered and the last reads, never an unsent backlog.
      assert.ok(result.maxHeld <= result.maxBatch + 2 * producer.readBytes, `${name}: the host held ${result.maxHeld} bytes at most`);
      // A renderer whose messages cost little is never left waiting while the pty has output for it
      // (in a long flood: a short one is mostly the start, when the window is still growing).
      if (floodMs >= 1500 && renderer.perMessageMs <= 2) assert.ok(result.throughputShare >= 0.85, `${name}: ${(result.throughputShare * 100).toFixed(0)}% of what it could parse`);
      // Fast output through a fast page: the window grows far past its starting floor.
      if (renderer === COLOURED && producer.bytesPerSecond > renderer.bytesPerSecond) {
        assert.ok(result.maxOutstanding > DEFAULT_WATERMARKS.high / 2, `${name}: window reached ${result.maxOutstanding} bytes`);
      }
    }
  });
}
