// Monaco, as the notebook editor uses it: the editor core with the
// contributions a Markdown notebook needs (code lenses, folding, find, hover,
// markers, the diff editor), the languages of code blocks, and its worker
// loaded from our own origin (the CSP allows workers from 'self' only).
// Languages load lazily: a notebook of shell blocks never fetches Python's.

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
import 'monaco-editor/languages/definitions/shell/register.js';
import 'monaco-editor/languages/definitions/python/register.js';
import 'monaco-editor/languages/definitions/yaml/register.js';
import 'monaco-editor/languages/definitions/perl/register.js';
import 'monaco-editor/languages/definitions/ruby/register.js';
import 'monaco-editor/languages/definitions/javascript/register.js';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import { registerJunosLanguage, registerNotebookLanguage } from './notebook-language.js';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

/** Junos tokens (shared/junos-language.ts), in the colours the report's dark scheme uses (main/notebook/report-style.ts). */
const JUNOS_THEME_RULES: monaco.editor.ITokenThemeRule[] = [
  { token: 'comment.junos', foreground: '6a9955', fontStyle: 'italic' },
  { token: 'comment.note.junos', foreground: '8a8a8a', fontStyle: 'italic' },
  { token: 'string.junos', foreground: 'ce9178' },
  { token: 'string.invalid.junos', foreground: 'f44747' },
  { token: 'keyword.tag.junos', foreground: 'c586c0', fontStyle: 'bold' },
  { token: 'keyword.verb.junos', foreground: 'c586c0' },
  { token: 'keyword.block.junos', foreground: '569cd6', fontStyle: 'bold' },
  { token: 'keyword.leaf.junos', foreground: '9cdcfe' },
  { token: 'keyword.deny.junos', foreground: 'f14c4c', fontStyle: 'bold' },
  { token: 'keyword.accept.junos', foreground: '23d18b' },
  { token: 'variable.interface.junos', foreground: '4ec9b0' },
  { token: 'number.address.junos', foreground: 'dcdcaa' },
  { token: 'number.junos', foreground: 'b5cea8' },
  { token: 'meta.diff.header.junos', foreground: '569cd6', fontStyle: 'bold' },
  { token: 'diff.inserted.junos', foreground: '23d18b', fontStyle: 'bold' },
  { token: 'diff.deleted.junos', foreground: 'f14c4c', fontStyle: 'bold' },
  { token: 'diff.changed.junos', foreground: 'e5c07b', fontStyle: 'bold' },
  { token: 'meta.prompt.junos', foreground: '808080' },
  { token: 'invalid.junos', foreground: 'f44747' },
];

let ready = false;

/** Sets Monaco up once per page; returns its API. */
export function setupMonaco(): typeof monaco {
  if (ready) return monaco;
  ready = true;
  window.MonacoEnvironment = { getWorker: () => new EditorWorker() };
  // Fence languages as people write them: ```bash, ```zsh, ```python3, ```node.
  monaco.languages.register({ id: 'shell', aliases: ['bash', 'zsh', 'sh', 'ksh', 'dash'] });
  monaco.languages.register({ id: 'python', aliases: ['python3', 'py'] });
  monaco.languages.register({ id: 'javascript', aliases: ['js', 'node'] });
  registerJunosLanguage(monaco);
  registerNotebookLanguage(monaco);
  monaco.editor.defineTheme('modus-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [
      { token: 'string.fence', foreground: '808080' },
      { token: 'keyword.lang', foreground: 'c586c0', fontStyle: 'bold' },
      { token: 'attribute.args', foreground: '9cdcfe' },
      { token: 'attribute.name', foreground: '9cdcfe' },
      { token: 'attribute.value', foreground: 'ce9178' },
      { token: 'variable.ref', foreground: 'dcdcaa', fontStyle: 'bold' },
      { token: 'results', foreground: '8a8a8a' },
      { token: 'results.fence', foreground: '6a9955' },
      { token: 'meta.frontmatter', foreground: '6a9955' },
      ...JUNOS_THEME_RULES,
    ],
    colors: {},
  });
  return monaco;
}

export type Monaco = typeof monaco;
