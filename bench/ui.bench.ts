// `npm run bench:ui`: the notebook UI in one run, in headless Chromium
// (its default 60 Hz frame clock, as a display would draw), against Monaco
// alone in a plain page with the same text (the floor: what VS Code's
// Markdown editing costs in the same Monaco):
//   1. open a generated 1 MB notebook with 5,020 blocks until it can be
//      edited: Enter in the Open prompt → text on screen → a key typed at
//      once → that character on screen; and, nothing typed, page load
//      (`modus serve PATH.md`) → text, code lenses and statuses on screen;
//   2. keystroke latency in the editor (key event → character on screen),
//      idle and while 20 blocks stream output (a line every 10 ms each,
//      started with their Run lenses; the output panel shows one), p50/p99;
//   3. memory of the page with the notebook open (JS heap, DOM nodes,
//      renderer RSS).
// BENCH_ROUNDS rounds (default 3), Modus and the floor alternating which
// goes first, each round in a fresh browser; BENCH_KEYS keys per typing
// phase (default 200); BENCH_LOAD=N runs N busy loops on the cores
// throughout. Timing is done in the page (bench/ui/page-probe.ts); the
// bench drives Chromium over the DevTools protocol without Playwright
// (bench/terminal/cdp.ts says why). Not part of `npm test`: figures, not
// assertions.

import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { BenchBrowser } from './terminal/cdp.js';
import { benchLoad, startBusyLoops } from './terminal/busy-load.js';
import { mib, table } from './terminal/report.js';
import { buildFloorPage, serveFloorPage } from './ui/floor-server.js';
import { STREAMING_BLOCKS, writeNotebookFixture } from './ui/notebook-fixture.js';
import { benchKeys, benchRounds } from './ui/options.js';
import { measureFloorRound, measureModusRound, type FloorRound, type ModusRound, type TypingPhase } from './ui/rounds.js';
import type { TypingPlan } from './ui/typing.js';
import { cpuShares, reportRows } from './ui/ui-report.js';

const root = join(import.meta.dirname, '..', '..');
const FLOOR_DIR = join(root, '.bench-cache', 'ui-floor');
/** A fast typist: ten keys a second. */
const KEY_INTERVAL_MS = 100;
const KEYS_PER_LINE = 40;

const benchStart = Date.now();

function say(line: string): void {
  process.stderr.write(`bench [${((Date.now() - benchStart) / 1000).toFixed(0).padStart(3)} s]: ${line}\n`);
}

function load(): string {
  return loadavg().map((l) => l.toFixed(2)).join(' ');
}

async function main(): Promise<number> {
  const roundCount = benchRounds();
  const plan: TypingPlan = { keys: benchKeys(), perLine: KEYS_PER_LINE, intervalMs: KEY_INTERVAL_MS };
  const busyLoops = benchLoad();
  if (busyLoops > 0) say(`BENCH_LOAD=${busyLoops}: ${busyLoops} busy loops (yes > /dev/null) run for the whole bench`);
  const stopBusyLoops = startBusyLoops(busyLoops);
  const loadAtStart = load();
  const fixture = writeNotebookFixture();
  let version = 'unknown';
  try {
    say(`notebook: ${(fixture.bytes / 1e6).toFixed(2)} MB, ${fixture.blocks} code blocks (${STREAMING_BLOCKS} streaming)`);
    say(`building the floor page (Monaco alone) with Vite into ${FLOOR_DIR}…`);
    await buildFloorPage(FLOOR_DIR);
    const floorServer = await serveFloorPage(FLOOR_DIR);
    const modus: ModusRound[] = [];
    const floor: FloorRound[] = [];
    try {
      for (let round = 1; round <= roundCount; round++) {
        const browser = await BenchBrowser.launch();
        version = browser.version();
        try {
          // Modus first in odd rounds (round 1 gives the floor its editor size), the floor first in even ones.
          const sides = round % 2 === 1 ? (['modus', 'floor'] as const) : (['floor', 'modus'] as const);
          for (const side of sides) {
            const tell = (line: string): void => say(`round ${round} of ${roundCount}: ${line}`);
            if (side === 'modus') modus.push(await measureModusRound(browser, fixture, round, plan, tell));
            else floor.push(await measureFloorRound(browser, floorServer, fixture, round, plan, modus[0]!.editorSize, tell));
          }
        } finally {
          await browser.close();
        }
      }
    } finally {
      await floorServer.stop();
    }

    const cpu = cpus();
    const size = modus[0]!.editorSize;
    say('done');
    console.log('');
    console.log(`Notebook UI benchmark — ${(fixture.bytes / 1e6).toFixed(2)} MB notebook, ${fixture.blocks} code blocks, ${fixture.text.split('\n').length} lines; ${roundCount} rounds`);
    console.log(`machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${mib(totalmem())} RAM, Node ${process.version}, Chromium ${version} headless (60 Hz frame clock)`);
    console.log(`load average (1, 5, 15 min): ${loadAtStart} at the start, ${load()} at the end (figures from a busy machine are not comparable)`);
    console.log(`BENCH_LOAD: ${busyLoops === 0 ? 'none (set BENCH_LOAD=2 for two busy loops on the cores)' : `${busyLoops} busy loops running throughout`}`);
    console.log(`typing: ${plan.keys} keys per phase and round, one every ${plan.intervalMs} ms, ${plan.perLine} to a line; editor ${size.width}×${size.height} CSS px in both pages`);
    console.log('');
    console.log(table(reportRows(modus, floor)));
    console.log('');
    console.log('CPU per second of typing, all rounds (1.00 = one core; 2 cores: who competes for them):');
    const cpuRows: [string, readonly TypingPhase[]][] = [
      ['Modus idle', modus.map((r) => r.idle)],
      ['Modus, blocks streaming', modus.map((r) => r.loaded)],
      ['floor idle', floor.map((r) => r.idle)],
      ['floor, programs running', floor.map((r) => r.loaded)],
    ];
    for (const [label, phases] of cpuRows) console.log(`  ${`${label}:`.padEnd(25)} ${cpuShares(phases)}`);
    return 0;
  } finally {
    fixture.remove();
    stopBusyLoops();
  }
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`bench:ui failed: ${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
