// One round of the UI bench for each side, in a browser of the round's own:
// open at load (figures of the analysis, then memory), open through the
// prompt (until editable), type idle, then type under load: for Modus
// while its twenty streaming blocks run and the output panel shows one;
// for the floor while the same twenty programs run outside it.

import type { BenchBrowser, BenchPage } from '../terminal/cdp.js';
import { withCpuTimes } from '../terminal/cpu-time.js';
import { withMainThreadLoad } from '../terminal/main-thread.js';
import { startBackgroundStreams } from './background-streams.js';
import { TYPING_ANCHOR, type NotebookFixture } from './notebook-fixture.js';
import { newLineUnder } from './editor-actions.js';
import { openFloorAtLoad, openFloorThroughInput } from './floor-page.js';
import type { FloorServer } from './floor-server.js';
import { openAtLoad, openThroughPrompt, runningStreams, startStreams, stopStreams, trustNotebook } from './modus-notebook.js';
import type { AnalysisFigures, OpenFigures } from './open-figures.js';
import { measureUiMemory, rendererPids, type UiMemory } from './page-memory.js';
import { hostMessageTimes, type KeySample } from './page-probe.js';
import { LineNumbers, typeMeasured, type TypingPlan } from './typing.js';

/** After an open, before typing: Monaco tokenizes the rest of the text in the background, the first analysis is drawn. */
const SETTLE_MS = 5000;
/** After the streams start, before typing: every block printing. */
const STREAMS_SETTLE_MS = 3000;

export interface TypingPhase {
  samples: KeySample[];
  /** Share of wall time the page's main thread spent in tasks while the keys were typed. */
  busy: number;
  /** How long the typing took, s. */
  seconds: number;
  /** CPU seconds per kind of process meanwhile (Chromium's, modus serve), largest first. */
  cpu: [string, number][];
}

export interface RoundCommon {
  open: OpenFigures;
  atLoad: AnalysisFigures;
  memory: UiMemory;
  idle: TypingPhase;
  loaded: TypingPhase;
}

export interface ModusRound extends RoundCommon {
  promptMs: number;
  /** Blocks running when the loaded typing ended. */
  streams: number;
  /** Live output frames (nb.output) that reached the page during the loaded typing, per second, and their bytes per second. */
  outputFramesPerS: number;
  outputBytesPerS: number;
  /** The prompt page after the loaded typing: a terminal tab, the notebook, twenty output entries. */
  loadedMemory: UiMemory;
  editorSize: { width: number; height: number };
}

export type FloorRound = RoundCommon;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function typePhase(browser: BenchBrowser, page: BenchPage, plan: TypingPlan, lines: LineNumbers): Promise<TypingPhase> {
  await page.keyboard.press('Control+Home');
  await newLineUnder(page, TYPING_ANCHOR);
  const started = Date.now();
  const { result, cpu } = await withCpuTimes(browser, () => withMainThreadLoad(page, () => typeMeasured(page, plan, lines)));
  return { samples: result.result, busy: result.busy, seconds: (Date.now() - started) / 1000, cpu };
}

export async function measureModusRound(browser: BenchBrowser, fixture: NotebookFixture, round: number, plan: TypingPlan, say: (line: string) => void): Promise<ModusRound> {
  const path = fixture.copy(`modus-${round}.md`);
  say('Modus: modus serve PATH.md, nothing typed: text, lenses, statuses; then memory…');
  let before = await rendererPids(browser);
  const atLoad = await openAtLoad(browser, path);
  let memory: UiMemory;
  try {
    await sleep(SETTLE_MS);
    memory = await measureUiMemory(browser, atLoad.session.page, before);
  } finally {
    await atLoad.session.close();
  }

  say('Modus: the Open prompt, Enter, a key as soon as the text shows…');
  before = await rendererPids(browser);
  const prompt = await openThroughPrompt(browser, path);
  const { page } = prompt.session;
  try {
    await sleep(SETTLE_MS);
    const lines = new LineNumbers();
    say(`Modus: ${plan.keys} keys idle…`);
    const idle = await typePhase(browser, page, plan, lines);
    say('Modus: trusting the notebook and starting the streaming blocks with their Run lenses…');
    await trustNotebook(page);
    await startStreams(page, say);
    await sleep(STREAMS_SETTLE_MS);
    say(`Modus: ${plan.keys} keys while the blocks stream…`);
    const outputBefore = await hostMessageTimes(page);
    const loaded = await typePhase(browser, page, plan, lines);
    const outputAfter = await hostMessageTimes(page);
    const streams = await runningStreams(page);
    const loadedMemory = await measureUiMemory(browser, page, before);
    say('Modus: Stop…');
    await stopStreams(page);
    return {
      open: prompt.open,
      atLoad: atLoad.open,
      memory,
      idle,
      loaded,
      promptMs: prompt.promptMs,
      streams,
      outputFramesPerS: (outputAfter.outputFrames - outputBefore.outputFrames) / loaded.seconds,
      outputBytesPerS: (outputAfter.outputBytes - outputBefore.outputBytes) / loaded.seconds,
      loadedMemory,
      editorSize: prompt.editorSize,
    };
  } finally {
    await prompt.session.close();
  }
}

export async function measureFloorRound(
  browser: BenchBrowser,
  server: FloorServer,
  fixture: NotebookFixture,
  round: number,
  plan: TypingPlan,
  editorSize: { width: number; height: number },
  say: (line: string) => void,
): Promise<FloorRound> {
  server.setNotebook(fixture.copy(`floor-${round}.md`));
  say('floor: Monaco alone, text opened at page load; then memory…');
  const before = await rendererPids(browser);
  const atLoad = await openFloorAtLoad(browser, server, editorSize);
  let memory: UiMemory;
  try {
    await sleep(SETTLE_MS);
    memory = await measureUiMemory(browser, atLoad.session.page, before);
  } finally {
    await atLoad.session.close();
  }

  say('floor: Enter, a key as soon as the text shows…');
  const prompt = await openFloorThroughInput(browser, server, editorSize);
  const { page } = prompt.session;
  try {
    await sleep(SETTLE_MS);
    const lines = new LineNumbers();
    say(`floor: ${plan.keys} keys idle…`);
    const idle = await typePhase(browser, page, plan, lines);
    say(`floor: ${plan.keys} keys while the streaming blocks' programs run outside it…`);
    const stopStreams = startBackgroundStreams();
    let loaded: TypingPhase;
    try {
      await sleep(STREAMS_SETTLE_MS);
      loaded = await typePhase(browser, page, plan, lines);
    } finally {
      stopStreams();
    }
    return { open: prompt.open, atLoad: atLoad.open, memory, idle, loaded };
  } finally {
    await prompt.session.close();
  }
}
