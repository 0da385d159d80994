// What the editor shows on each code block: actions above it (Run, Run from
// here, Cancel, and Open session in terminal for a `:session` block) as code lenses, and its status on the fence line: queued,
// running with its elapsed time, the verdict of its last results (per host
// when several), stale when the engine says the results no longer describe
// the block. All of it comes from the host's analysis; nothing here reads
// the Markdown.

import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import type { BlockView, NotebookAnalysis } from '../../../main/protocol.js';
import { NOTEBOOK_LANGUAGE } from './notebook-language.js';

/** Lines (1-based, inclusive) whose blocks get lenses; null: every block. */
export interface LensWindow {
  start: number;
  end: number;
}

export interface BlockActionTarget {
  analysis(): NotebookAnalysis | null;
  /** Where the editor shows lenses now (lens-window.ts says why not everywhere). */
  lensWindow(): LensWindow | null;
  runBlock(number: number): void;
  runFrom(number: number): void;
  runOn(number: number): void;
  cancel(runId: number): void;
  openSession(number: number, host: string): void;
  readonly trusted: boolean;
}

const targets = new Map<string, BlockActionTarget>();
let registered = false;
let lensesChanged: Monaco.Emitter<Monaco.languages.CodeLensProvider> | null = null;

/** Code lenses for every notebook model (registered once per page; each model finds its notebook by URI). */
export function attachBlockActions(monaco: typeof Monaco, model: Monaco.editor.ITextModel, target: BlockActionTarget): Monaco.IDisposable {
  if (!registered) {
    registered = true;
    lensesChanged = new monaco.Emitter<Monaco.languages.CodeLensProvider>();
    const withTarget = (fn: (t: BlockActionTarget, n: number) => void) => (_accessor: unknown, uri: unknown, n: unknown) => {
      const t = targets.get(String(uri));
      if (t && typeof n === 'number') fn(t, n);
    };
    monaco.editor.registerCommand('modus.notebook.run', withTarget((t, n) => t.runBlock(n)));
    monaco.editor.registerCommand('modus.notebook.runFrom', withTarget((t, n) => t.runFrom(n)));
    monaco.editor.registerCommand('modus.notebook.runOn', withTarget((t, n) => t.runOn(n)));
    monaco.editor.registerCommand('modus.notebook.cancel', withTarget((t, n) => t.cancel(n)));
    monaco.editor.registerCommand('modus.notebook.openSession', (_accessor: unknown, uri: unknown, n: unknown, host: unknown) => {
      const t = targets.get(String(uri));
      if (t && typeof n === 'number' && typeof host === 'string') t.openSession(n, host);
    });
    const provider: Monaco.languages.CodeLensProvider = {
      onDidChange: lensesChanged.event,
      provideCodeLenses: (m) => {
        const t = targets.get(m.uri.toString());
        return { lenses: lensesFor(m.uri.toString(), t?.analysis() ?? null, t?.lensWindow() ?? null), dispose: () => undefined };
      },
      // Monaco makes a widget for every lens that arrives with its command, and
      // updates every widget on every edit and every change of the statuses:
      // with 5,000 blocks that was seconds of work per analysis and tens of
      // milliseconds per keystroke. Lenses without a command are resolved, and
      // get their widget, only once their line is on screen.
      resolveCodeLens: (_m, lens) => ({ ...lens, command: lensCommands.get(lens) }),
    };
    monaco.languages.registerCodeLensProvider(NOTEBOOK_LANGUAGE, provider);
  }
  const key = model.uri.toString();
  targets.set(key, target);
  return { dispose: () => targets.delete(key) };
}

/** The analysis changed: the lenses are asked for again. */
export function refreshLenses(): void {
  lensesChanged?.fire({ provideCodeLenses: () => ({ lenses: [], dispose: () => undefined }) });
}

/** The command of each lens handed to Monaco without one (resolveCodeLens gets the same object back). */
const lensCommands = new WeakMap<Monaco.languages.CodeLens, Monaco.languages.Command>();

function lensesFor(uri: string, analysis: NotebookAnalysis | null, window: LensWindow | null): Monaco.languages.CodeLens[] {
  if (!analysis) return [];
  const lenses: Monaco.languages.CodeLens[] = [];
  const lens = (b: BlockView, command: Monaco.languages.Command): void => {
    const l: Monaco.languages.CodeLens = { range: { startLineNumber: b.startLine, startColumn: 1, endLineNumber: b.startLine, endColumn: 1 } };
    lensCommands.set(l, command);
    lenses.push(l);
  };
  for (const b of analysis.blocks) {
    if (!b.runnable) continue;
    if (window && (b.startLine < window.start || b.startLine > window.end)) continue;
    if (b.run) {
      const title = b.run.state === 'queued' ? '$(close) Cancel (queued)' : b.run.state === 'waiting' ? '$(close) Cancel (waiting)' : '$(debug-stop) Cancel';
      lens(b, { id: 'modus.notebook.cancel', title, tooltip: `Cancel block ${b.number} and the rest of its run`, arguments: [uri, b.run.runId] });
    } else {
      lens(b, { id: 'modus.notebook.run', title: '$(play) Run', tooltip: `Run block ${b.number}${hostsNote(b)}`, arguments: [uri, b.number] });
      lens(b, { id: 'modus.notebook.runOn', title: 'Run on…', tooltip: `Run block ${b.number} on hosts you pick`, arguments: [uri, b.number] });
      lens(b, { id: 'modus.notebook.runFrom', title: 'Run from here', tooltip: `Run block ${b.number} and every block after it, stopping at the first that does not pass`, arguments: [uri, b.number] });
    }
    for (const command of sessionCommands(uri, b)) lens(b, command);
  }
  return lenses;
}

/** What the lenses of `analysis` show, as a string: equal strings, equal lenses. */
export function lensSignature(analysis: NotebookAnalysis, window: LensWindow | null): string {
  return analysis.blocks
    .filter((b) => b.runnable && (!window || (b.startLine >= window.start && b.startLine <= window.end)))
    .map((b) => `${b.number}@${b.startLine}${b.run ? `:${b.run.state}:${b.run.runId}` : `:${b.hosts.join(',')}`}${b.session ? `:s=${b.session.name}@${b.session.hosts.join(',')}` : ''}`)
    .join(' ');
}

/** Hosts beyond this get no lens of their own (a block fanned out to a group): the first ones are offered. */
const MAX_SESSION_LENSES = 3;

/** "Open session in terminal", per host the block's session lives on (also while a block waits for it: that tab is shown). */
function sessionCommands(uri: string, b: BlockView): Monaco.languages.Command[] {
  if (!b.session) return [];
  const { name, hosts } = b.session;
  return hosts.slice(0, MAX_SESSION_LENSES).map((host) => ({
    id: 'modus.notebook.openSession',
    title: hosts.length > 1 ? `$(terminal) Open session ${name} on ${host} in terminal` : `$(terminal) Open session ${name} in terminal`,
    tooltip: `Open the session "${name}" of block ${b.number}${host === 'local' ? '' : ` on ${host}`} in a terminal tab, to work in it by hand (the same shell: its cwd, variables and functions); its blocks wait until you hand it back`,
    arguments: [uri, b.number, host],
  }));
}

function hostsNote(b: BlockView): string {
  return b.hosts.length > 0 ? ` on ${b.hosts.join(', ')}` : ' locally';
}

/** The status a block shows: its run, else the worst of its results; and whether it is stale. */
export function blockStatus(b: BlockView): { status: string; label: string } | null {
  if (b.run) {
    const secs = Math.max(0, Math.round((Date.now() - Date.parse(b.run.since)) / 1000));
    if (b.run.state === 'queued') return { status: 'queued', label: 'queued' };
    if (b.run.state === 'waiting') return { status: 'waiting', label: `waiting: ${b.run.note ?? 'for its session'}` };
    return { status: 'running', label: `running ${secs}s` };
  }
  if (b.results.length === 0) return null;
  const order = ['pass', 'fail', 'cancelled', 'timeout', 'error'];
  const worst = b.results.reduce((w, r) => (order.indexOf(r.status) > order.indexOf(w) ? r.status : w), 'pass');
  const hosts = b.results.length > 1 ? ` on ${b.results.length} hosts` : '';
  const took = b.results.length === 1 && b.results[0]!.took ? ` ${b.results[0]!.took}` : '';
  return { status: worst, label: `${worst}${took}${hosts}` };
}

/** Decorations of the fence lines (of those in `window`, when given): status in the glyph margin and after the fence, stale marked. */
export function blockDecorations(analysis: NotebookAnalysis, lineEnd: (line: number) => number, window: LensWindow | null = null): Monaco.editor.IModelDeltaDecoration[] {
  const out: Monaco.editor.IModelDeltaDecoration[] = [];
  for (const b of analysis.blocks) {
    if (window && (b.startLine < window.start || b.startLine > window.end)) continue;
    const s = blockStatus(b);
    const stale = b.stale.length > 0 && !b.run;
    if (!s && !stale) continue;
    const parts = [s?.label, stale ? 'stale' : null].filter(Boolean).join(' · ');
    const end = lineEnd(b.startLine);
    out.push({
      range: { startLineNumber: b.startLine, startColumn: end, endLineNumber: b.startLine, endColumn: end },
      options: {
        glyphMarginClassName: `nb-glyph nb-status-${s?.status ?? 'stale'}`,
        glyphMarginHoverMessage: { value: [s ? `Block ${b.number}: ${s.label}` : `Block ${b.number}`, ...b.stale].join('\n\n') },
        after: { content: `  ${parts}`, inlineClassName: `nb-after nb-status-${s?.status ?? 'none'}${stale ? ' nb-stale' : ''}` },
        showIfCollapsed: true,
      },
    });
  }
  return out;
}
