// The notebook's language for Monaco: Markdown as Modus reads it. Front
// matter as YAML; code fences with their language and header arguments
// (`:key value`, quoted values, `{{variables}}`); the code itself in its own
// language (embedded); results blocks dimmed. Highlighting only: what a block
// is, where it ends and what it means are the engine's (the analysis).

import type * as Monaco from 'monaco-editor/editor/editor.api.js';
import { JUNOS_LANGUAGE_ID, JUNOS_MONARCH } from '../../../shared/junos-language.js';

export const NOTEBOOK_LANGUAGE = 'modus-notebook';

/** A fence's language → the Monaco language its code is highlighted as (unknown languages are plain). */
const EMBEDDED: Record<string, string> = {
  sh: 'shell', shell: 'shell', bash: 'shell', zsh: 'shell', ksh: 'shell', dash: 'shell',
  python: 'python', python3: 'python', py: 'python',
  yaml: 'yaml', yml: 'yaml',
  perl: 'perl', ruby: 'ruby',
  js: 'javascript', javascript: 'javascript', node: 'javascript',
  junos: JUNOS_LANGUAGE_ID,
};

/**
 * Junos configuration and CLI text: the rule table the report colours with
 * too (shared/junos-language.ts), so a block looks the same in both.
 */
export function registerJunosLanguage(monaco: typeof Monaco): void {
  monaco.languages.register({ id: JUNOS_LANGUAGE_ID, aliases: ['Junos', 'junos'] });
  monaco.languages.setLanguageConfiguration(JUNOS_LANGUAGE_ID, {
    comments: { lineComment: '#', blockComment: ['/*', '*/'] },
    brackets: [['{', '}'], ['[', ']']],
    autoClosingPairs: [{ open: '{', close: '}' }, { open: '[', close: ']' }, { open: '"', close: '"' }],
  });
  // The table is plain Monarch (monarch-lite.ts checks it keeps to what both understand).
  monaco.languages.setMonarchTokensProvider(JUNOS_LANGUAGE_ID, JUNOS_MONARCH as unknown as Monaco.languages.IMonarchLanguage);
}

export function registerNotebookLanguage(monaco: typeof Monaco): void {
  monaco.languages.register({ id: NOTEBOOK_LANGUAGE, extensions: ['.md'], aliases: ['Modus notebook'] });
  monaco.languages.setLanguageConfiguration(NOTEBOOK_LANGUAGE, {
    comments: { blockComment: ['<!--', '-->'] },
    brackets: [['{', '}'], ['[', ']'], ['(', ')']],
    autoClosingPairs: [{ open: '[', close: ']' }, { open: '(', close: ')' }],
  });
  // One opening rule per Monaco language, so the state carries its id (Monarch embeds by id, not by alias).
  const byId = new Map<string, string[]>();
  for (const [lang, id] of Object.entries(EMBEDDED)) byId.set(id, [...(byId.get(id) ?? []), lang]);
  const codeFences: Monaco.languages.IMonarchLanguageRule[] = [...byId].map(([id, langs]) => [
    new RegExp(`^(\\s{0,3})(\`{3,}|~{3,})(${langs.join('|')})(?![\\w.+-])`),
    ['', 'string.fence', { token: 'keyword.lang', next: `@args.$2.${id}` }],
  ]);
  monaco.languages.setMonarchTokensProvider(NOTEBOOK_LANGUAGE, {
    defaultToken: '',
    // Rules are tried in order on each line; a state's name carries the fence that opened it ($S2) so only a like fence closes it.
    tokenizer: {
      start: [
        [/^---\s*$/, { token: 'meta.frontmatter', next: '@frontMatter', nextEmbedded: 'yaml' }],
        [/^/, { token: '@rematch', switchTo: '@root' }],
      ],
      frontMatter: [[/^---\s*$/, { token: 'meta.frontmatter', switchTo: '@root', nextEmbedded: '@pop' }]],
      root: [
        [/^(\s{0,3})(`{3,}|~{3,})(results)\b/, ['', 'results.fence', { token: 'results.fence', next: '@resultsArgs.$2' }]],
        ...codeFences,
        [/^(\s{0,3})(`{3,}|~{3,})([\w.+-]*)/, ['', 'string.fence', { token: 'keyword.lang', next: '@args.$2.plain' }]],
        [/^\s{0,3}#{1,6}\s.*$/, 'keyword'],
        [/^\s*>+/, 'comment'],
        [/^\s*([*\-+]|\d+[.)])\s/, 'keyword'],
        [/\{\{\s*[A-Za-z_][\w.-]*\s*\}\}/, 'variable.ref'],
        [/`[^`]+`/, 'variable'],
        [/\*\*[^*]+\*\*/, 'strong'],
        [/(\[)([^\]]*)(\]\([^)]*\))/, ['string.link', '', 'string.link']],
      ],
      // The rest of the opening fence line: header arguments. The code starts on the next line:
      // Monarch tries no rule once a line is consumed, so the switch into the code's language is
      // made where the next line starts ('^', zero-length with '@rematch': the one such action that
      // may enter an embedded language, which then tokenizes that whole line).
      args: [
        [/^/, { cases: { '$S3==plain': { token: '@rematch', switchTo: '@plain.$S2' }, '@default': { token: '@rematch', switchTo: '@code.$S2', nextEmbedded: '$S3' } } }],
        [/:[\w-]+/, 'attribute.name'],
        [/"(?:[^"\\]|\\.)*"/, 'attribute.value'],
        [/\{\{\s*[A-Za-z_][\w.-]*\s*\}\}/, 'variable.ref'],
        [/[^\s:"{]+|[:{]/, 'attribute.value'],
        [/\s+/, ''],
      ],
      code: [
        [/^\s{0,3}(`{3,}|~{3,})\s*$/, { cases: { '$1==$S2': { token: 'string.fence', next: '@pop', nextEmbedded: '@pop' }, '@default': '' } }],
      ],
      plain: [
        [/^\s{0,3}(`{3,}|~{3,})\s*$/, { cases: { '$1==$S2': { token: 'string.fence', next: '@pop' }, '@default': 'variable.source' } }],
        [/.*$/, 'variable.source'],
      ],
      resultsArgs: [
        [/^/, { token: '@rematch', switchTo: '@results.$S2' }],
        [/.*$/, { token: 'results.fence', switchTo: '@results.$S2' }],
      ],
      results: [
        [/^\s{0,3}(`{3,}|~{3,})\s*$/, { cases: { '$1==$S2': { token: 'results.fence', next: '@pop' }, '@default': 'results' } }],
        [/.*$/, 'results'],
      ],
    },
  } as Monaco.languages.IMonarchLanguage);
}

/** The Monaco language a fence's language is highlighted as, or null. */
export function embeddedLanguage(lang: string): string | null {
  return EMBEDDED[lang] ?? null;
}
