// What an open is made of, for Modus and for the floor alike. Two kinds:
// - from Enter in an Open prompt to the text on screen, and to the first
//   character typed as soon as the text was there ("can be edited");
// - from navigation start of a page that opens the notebook by itself to
//   the text on screen and, with nothing typed, to the analysis drawn (code
//   lenses, statuses). Typing at once would hold the lenses back: the
//   analysis of the text as opened no longer fits an edited text, and the
//   editor waits for the next one.
// For Modus also when the host's messages reached the page.

import type { BenchPage } from '../terminal/cdp.js';
import { TYPING_ANCHOR } from './notebook-fixture.js';
import { newLineUnder } from './editor-actions.js';
import { beginLine, hostMessageTimes, readAppearances, takeKeySamples, waitForLineShown, type AppearanceSpec, type KeySample } from './page-probe.js';

/** The editor's text drawn: Monaco draws its line elements empty first. */
export const TEXT_SHOWN: AppearanceSpec = { selector: '.monaco-editor .view-lines .view-line', text: true };
/** Code lenses (Run, Run from here) drawn: the first analysis is in. */
export const LENSES_SHOWN: AppearanceSpec = { selector: '.monaco-editor .codelens-decoration a', text: true };
/** A block's status after its fence line (from the analysis's results). */
export const STATUS_SHOWN: AppearanceSpec = { selector: '.monaco-editor .nb-after', text: true };

export interface OpenFigures {
  /** Start → end of the first frame with the editor's text, ms. */
  textMs: number;
  /** The first key typed once the text was there: key → character on screen, ms. */
  firstKeyMs: number;
  /** textMs + firstKeyMs: open until a keystroke shows (the bench's own reaction time between them left out). */
  editableMs: number;
  /** How long after the text the bench's first key reached the browser (not part of editableMs). */
  reactionMs: number;
  /** Modus only (null elsewhere): start → nb.opened in the page, → the first nb.analysis in the page. */
  openedMs: number | null;
  analysisMs: number | null;
}

/** An open in which nothing is typed, so the analysis of the text as opened is what gets drawn. */
export interface AnalysisFigures {
  /** Start → end of the first frame with the editor's text, ms. */
  textMs: number;
  /** Modus only (null elsewhere): start → nb.opened in the page, → the first nb.analysis in the page, → lenses drawn, → statuses drawn. */
  openedMs: number | null;
  analysisMs: number | null;
  lensesMs: number | null;
  statusesMs: number | null;
}

/** Types one key on a new line under the anchor, as soon as the text is there; returns its sample. */
export async function typeFirstKey(page: BenchPage): Promise<KeySample> {
  await newLineUnder(page, TYPING_ANCHOR);
  await beginLine(page, true);
  await page.keyboard.press('q');
  await waitForLineShown(page, 60_000);
  const [sample] = await takeKeySamples(page);
  if (!sample || sample.shownAt === null) throw new Error('the first key typed after the open was not seen');
  return sample;
}

/** Reads the open's figures from the probe; `start` is the open's start on the page's clock. */
export async function openFigures(page: BenchPage, start: number, firstKey: KeySample): Promise<OpenFigures> {
  const shown = await readAppearances(page);
  const messages = await hostMessageTimes(page);
  const since = (at: number | null | undefined): number | null => (at === null || at === undefined ? null : at - start);
  const textMs = since(shown.text?.shownAt);
  if (textMs === null) throw new Error('the open has no text-on-screen time');
  const firstKeyMs = firstKey.shownAt! - firstKey.sentAt;
  return {
    textMs,
    firstKeyMs,
    editableMs: textMs + firstKeyMs,
    reactionMs: firstKey.sentAt - shown.text!.shownAt!,
    openedMs: since(messages.opened[0]),
    analysisMs: since(messages.analyses[0]),
  };
}

/** Reads an untouched open's figures from the probe; `start` is the open's start on the page's clock. */
export async function analysisFigures(page: BenchPage, start: number): Promise<AnalysisFigures> {
  const shown = await readAppearances(page);
  const messages = await hostMessageTimes(page);
  const since = (at: number | null | undefined): number | null => (at === null || at === undefined ? null : at - start);
  const textMs = since(shown.text?.shownAt);
  if (textMs === null) throw new Error('the open has no text-on-screen time');
  return {
    textMs,
    openedMs: since(messages.opened[0]),
    analysisMs: since(messages.analyses[0]),
    lensesMs: since(shown.lenses?.shownAt),
    statusesMs: since(shown.statuses?.shownAt),
  };
}
