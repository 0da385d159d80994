// The UI bench's table: Modus's figures, the floor's, their ratios and the
// issue's targets, each row with its spread over the rounds.

import { fixed, mib, percentile, type Row } from '../terminal/report.js';
import type { FloorRound, ModusRound, TypingPhase } from './rounds.js';
import { keyLatencies } from './typing.js';

/** The issue's targets. */
export const OPEN_TARGET_MS = 1000;
export const LOADED_P99_TARGET_MS = 50;

function median(values: readonly number[]): number {
  return percentile(values, 50);
}

function ms(value: number | null): string {
  return value === null ? 'n/a' : `${fixed(value, 0)} ms`;
}

function rounds(values: readonly (number | null)[], digits = 0): string {
  return `rounds ${values.map((v) => (v === null ? 'n/a' : fixed(v, digits))).join(', ')}`;
}

function nonNull(values: readonly (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null);
}

/** A timing row: the median over the rounds, each round in the note. */
function medianRow(figure: string, values: readonly (number | null)[], note = ''): Row {
  const known = nonNull(values);
  return { figure, value: known.length > 0 ? ms(median(known)) : 'n/a', note: [rounds(values), note].filter(Boolean).join('; ') };
}

function ratioRow(figure: string, modus: readonly (number | null)[], floor: readonly (number | null)[], note = ''): Row {
  const m = nonNull(modus);
  const f = nonNull(floor);
  const byRound = modus.map((v, i) => (v === null || floor[i] === null || floor[i] === undefined ? null : v / floor[i]!));
  return { figure, value: m.length > 0 && f.length > 0 ? `${fixed(median(m) / median(f), 2)}×` : 'n/a', note: [`${rounds(byRound, 2)}`, note].filter(Boolean).join('; ') };
}

function pooled(phases: readonly TypingPhase[]): number[] {
  return phases.flatMap((p) => keyLatencies(p.samples));
}

function typingRows(label: string, phases: readonly TypingPhase[], target: string): Row[] {
  const all = pooled(phases);
  const perRound = phases.map((p) => keyLatencies(p.samples));
  const queue = phases.flatMap((p) => p.samples.map((s) => s.handledAt - s.sentAt));
  const dom = phases.flatMap((p) => p.samples.map((s) => s.domAt! - s.sentAt));
  return [
    {
      figure: `${label}, p50`,
      value: `${fixed(percentile(all, 50), 1)} ms`,
      note: `${all.length} keys; per round ${perRound.map((r) => fixed(percentile(r, 50), 1)).join(', ')}`,
    },
    {
      figure: `${label}, p99`,
      value: `${fixed(percentile(all, 99), 1)} ms`,
      note: [`max ${fixed(Math.max(...all), 1)} ms; per round ${perRound.map((r) => fixed(percentile(r, 99), 1)).join(', ')}`, target].filter(Boolean).join('; '),
    },
    {
      figure: '  of which key → page takes it / → in the DOM, p50 · p99',
      value: `${fixed(percentile(queue, 50), 1)} · ${fixed(percentile(queue, 99), 1)} ms`,
      note: `${fixed(percentile(dom, 50), 1)} · ${fixed(percentile(dom, 99), 1)} ms to the DOM; main thread busy ${phases.map((p) => `${fixed(p.busy * 100, 0)}%`).join(', ')} of the typing`,
    },
  ];
}

function typingRatioRows(label: string, modus: readonly TypingPhase[], floor: readonly TypingPhase[]): Row[] {
  const m = pooled(modus);
  const f = pooled(floor);
  const perRound = (p: number): string =>
    `per round ${modus.map((phase, i) => (floor[i] ? fixed(percentile(keyLatencies(phase.samples), p) / percentile(keyLatencies(floor[i]!.samples), p), 2) : 'n/a')).join(', ')}`;
  return [
    { figure: `ratio Modus / floor, ${label}, p50`, value: `${fixed(percentile(m, 50) / percentile(f, 50), 2)}×`, note: perRound(50) },
    { figure: `ratio Modus / floor, ${label}, p99`, value: `${fixed(percentile(m, 99) / percentile(f, 99), 2)}×`, note: perRound(99) },
  ];
}

function memoryValue(values: readonly number[], format: (v: number) => string): string {
  return values.length > 0 ? format(median(values)) : 'n/a';
}

function memoryRows(side: string, memories: readonly ModusRound['memory'][]): Row[] {
  const heap = memories.map((m) => m.jsHeapUsed);
  const nodes = memories.map((m) => m.nodes);
  const rss = nonNull(memories.map((m) => m.renderer?.rss ?? null));
  const pss = nonNull(memories.map((m) => m.renderer?.pss ?? null));
  return [
    { figure: `${side}: JS heap used (after GC)`, value: memoryValue(heap, mib), note: `rounds ${heap.map((v) => mib(v)).join(', ')}; ArrayBuffers ${memories.map((m) => mib(m.backingStores)).join(', ')}` },
    { figure: `${side}: DOM nodes`, value: memoryValue(nodes, (v) => fixed(v, 0)), note: `rounds ${nodes.map((v) => fixed(v, 0)).join(', ')}` },
    { figure: `${side}: renderer process RSS`, value: memoryValue(rss, mib), note: `rounds ${rss.map((v) => mib(v)).join(', ')}${pss.length > 0 ? `; PSS ${pss.map((v) => mib(v)).join(', ')}` : ''}` },
  ];
}

export function reportRows(modus: readonly ModusRound[], floor: readonly FloorRound[]): Row[] {
  const editable = modus.map((r) => r.open.editableMs);
  const floorEditable = floor.map((r) => r.open.editableMs);
  const openMedian = median(editable);
  const loaded = pooled(modus.map((r) => r.loaded));
  const loadedP99 = percentile(loaded, 99);
  return [
    medianRow('open: Enter in the Open prompt → first typed character on screen, Modus', editable, `target < ${OPEN_TARGET_MS} ms: ${openMedian < OPEN_TARGET_MS ? 'met' : 'NOT met'} (median); worst round ${ms(Math.max(...editable))}`),
    medianRow('  of which Enter → text on screen', modus.map((r) => r.open.textMs)),
    medianRow('  then that key → on screen (typed as soon as the text showed)', modus.map((r) => r.open.firstKeyMs), `the bench took ${modus.map((r) => fixed(r.open.reactionMs, 0)).join(', ')} ms to send it (not counted)`),
    medianRow('  Enter → nb.opened in the page (1 MB of text)', modus.map((r) => r.open.openedMs)),
    medianRow('  Enter → first nb.analysis in the page', modus.map((r) => r.open.analysisMs)),
    medianRow('open: Enter → first typed character on screen, floor (Monaco alone)', floorEditable),
    medianRow('  of which Enter → text on screen', floor.map((r) => r.open.textMs)),
    ratioRow('ratio Modus / floor, open → editable', editable, floorEditable),
    medianRow('Ctrl+Shift+M → Open prompt on screen (loads Monaco: the first notebook of a window)', modus.map((r) => r.promptMs)),
    medianRow('page load → text on screen, Modus (modus serve PATH.md)', modus.map((r) => r.atLoad.textMs)),
    medianRow('page load → text on screen, floor', floor.map((r) => r.atLoad.textMs)),
    ratioRow('ratio Modus / floor, page load → text', modus.map((r) => r.atLoad.textMs), floor.map((r) => r.atLoad.textMs)),
    medianRow('page load → first nb.analysis in the page, Modus', modus.map((r) => r.atLoad.analysisMs), 'nothing typed'),
    medianRow('page load → code lenses drawn, Modus', modus.map((r) => r.atLoad.lensesMs)),
    medianRow('page load → statuses drawn, Modus', modus.map((r) => r.atLoad.statusesMs)),
    ...typingRows('typing idle, key → character on screen, Modus', modus.map((r) => r.idle), ''),
    ...typingRows('typing idle, floor', floor.map((r) => r.idle), ''),
    ...typingRatioRows('idle', modus.map((r) => r.idle), floor.map((r) => r.idle)),
    ...typingRows(
      `typing while ${modus[0]?.streams ?? 0} blocks stream, Modus`,
      modus.map((r) => r.loaded),
      `target p99 < ${LOADED_P99_TARGET_MS} ms: ${loadedP99 < LOADED_P99_TARGET_MS ? 'met' : 'NOT met'}`,
    ),
    {
      figure: '  live output reaching the page meanwhile',
      value: `${fixed(median(modus.map((r) => r.outputFramesPerS)), 0)} frames/s`,
      note: `${modus.map((r) => `${fixed(r.outputBytesPerS / 1024, 0)} KiB/s`).join(', ')}; blocks still running at the end: ${modus.map((r) => r.streams).join(', ')}`,
    },
    ...typingRows('typing, floor, the same programs running outside it', floor.map((r) => r.loaded), ''),
    ...typingRatioRows('under load', modus.map((r) => r.loaded), floor.map((r) => r.loaded)),
    ...memoryRows('memory, notebook open at load, Modus', modus.map((r) => r.memory)),
    ...memoryRows('memory, floor', floor.map((r) => r.memory)),
    ratioRow('ratio Modus / floor, JS heap', modus.map((r) => r.memory.jsHeapUsed), floor.map((r) => r.memory.jsHeapUsed)),
    ratioRow('ratio Modus / floor, renderer RSS', modus.map((r) => r.memory.renderer?.rss ?? null), floor.map((r) => r.memory.renderer?.rss ?? null)),
    ...memoryRows('memory, Modus after typing under load (terminal tab, 20 output entries)', modus.map((r) => r.loadedMemory)),
  ];
}

/** CPU per second of typing, summed over the rounds, per kind of process: "renderer 0.42, modus serve 0.80" (1.00 = one core busy). */
export function cpuShares(phases: readonly TypingPhase[]): string {
  const seconds = phases.reduce((sum, p) => sum + p.seconds, 0);
  const totals = new Map<string, number>();
  for (const p of phases) for (const [kind, cpu] of p.cpu) totals.set(kind, (totals.get(kind) ?? 0) + cpu);
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .map(([kind, cpu]) => `${kind.replace('chromium ', '')} ${fixed(cpu / seconds, 2)}`)
    .join(', ');
}
