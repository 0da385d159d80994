// The UI bench's floor: Monaco alone, editing the same notebook text as
// Markdown, in a plain page: what VS Code's Markdown editing costs in this
// Monaco, and what Modus is measured against. Same monaco-editor package,
// the same editor contributions and options as Modus's notebook editor
// (renderer/src/notebook/monaco-setup.ts, notebook-view.ts), the same
// languages for the fences; Monaco's own Markdown language instead of
// Modus's, and nothing of Modus: no code lenses, statuses, host or
// terminal. The bench serves it (bench/ui/floor-server.ts).
//
// Like Modus's Open prompt, Enter in the input fetches the text and makes the
// editor (Monaco is loaded by then); `?cold` does it at page load.
// `?width=W&height=H` sizes the editor as Modus's, so both draw as many lines.

import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/editor/browser/coreCommands.js';
import 'monaco-editor/editor/browser/widget/codeEditor/codeEditorWidget.js';
import 'monaco-editor/editor/browser/widget/diffEditor/diffEditor.contribution.js';
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching.js';
import 'monaco-editor/editor/contrib/clipboard/browser/clipboard.js';
import 'monaco-editor/editor/contrib/codelens/browser/codelensController.js';
import 'monaco-editor/editor/contrib/comment/browser/comment.js';
import 'monaco-editor/editor/contrib/contextmenu/browser/contextmenu.js';
import 'monaco-editor/editor/contrib/cursorUndo/browser/cursorUndo.js';
import 'monaco-editor/editor/contrib/find/browser/findController.js';
import 'monaco-editor/editor/contrib/folding/browser/folding.js';
import 'monaco-editor/editor/contrib/gotoError/browser/gotoError.js';
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution.js';
import 'monaco-editor/editor/contrib/linesOperations/browser/linesOperations.js';
import 'monaco-editor/editor/contrib/multicursor/browser/multicursor.js';
import 'monaco-editor/editor/contrib/readOnlyMessage/browser/contribution.js';
import 'monaco-editor/editor/contrib/wordHighlighter/browser/wordHighlighter.js';
import 'monaco-editor/editor/contrib/wordOperations/browser/wordOperations.js';
import 'monaco-editor/editor/common/standaloneStrings.js';
import 'monaco-editor/languages/definitions/markdown/register.js';
import 'monaco-editor/languages/definitions/shell/register.js';
import 'monaco-editor/languages/definitions/python/register.js';
import 'monaco-editor/languages/definitions/yaml/register.js';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
    /** The bench waits for this before it presses Enter. */
    __floorReady?: boolean;
  }
}

window.MonacoEnvironment = { getWorker: () => new EditorWorker() };

const params = new URLSearchParams(location.search);
const host = document.getElementById('editor')!;
host.style.width = `${Number(params.get('width') ?? window.innerWidth)}px`;
host.style.height = `${Number(params.get('height') ?? window.innerHeight)}px`;
const input = document.getElementById('open') as HTMLInputElement;
let opened = false;

async function open(): Promise<void> {
  if (opened) return;
  opened = true;
  input.remove();
  const text = await (await fetch('./notebook.md')).text();
  const model = monaco.editor.createModel(text, 'markdown');
  // As notebook-view.ts creates Modus's editor (its theme is vs-dark with token colours added).
  monaco.editor.create(host, {
    model,
    theme: 'vs-dark',
    automaticLayout: true,
    glyphMargin: true,
    folding: true,
    showFoldingControls: 'always',
    wordWrap: 'off',
    minimap: { enabled: false },
    fontSize: 13,
    scrollBeyondLastLine: false,
    renderWhitespace: 'selection',
    unicodeHighlight: { ambiguousCharacters: false },
    links: false,
  });
}

input.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter') void open();
});
if (params.has('cold')) void open();
window.__floorReady = true;
