// Junos configuration and CLI text as tokens: one Monarch rule table that
// the notebook editor gives Monaco (```junos blocks) and that the report
// runs through monarch-lite.ts (Junos blocks, and the diffs and CLI
// transcripts in their results), so both colour the same words the same way.
//
// What it knows, line by line, in curly and set styles:
//  - the statement a line starts: a block opener (`protocols {`, `unit 0 {`)
//    or a leaf (`type internal;`), after `inactive:`/`protect:`/`replace:`…
//    tags and after a diff's `+`/`-`/`!`; set-style verbs (`set`, `delete`…)
//    with the top-level hierarchy after them; operational verbs (`show`…);
//  - `#` and `/* */` comments, quoted strings, `{ } [ ] ;` and `|`;
//  - interface names (`ge-0/0/0.0`, `xe-1/2/3:1`, `ae0`, `lo0`, `irb.100`),
//    IPv4 and IPv6 addresses and prefixes, numbers;
//  - `deny`, `discard`, `reject` (and `accept`) marked as actions;
//  - in results: diff headers (`[edit protocols bgp]`), the CLI prompt
//    (`root@edge1# commit check`), Modus's `modus:` remarks, `error:` lines.
// A word is never looked up in a schema: names (`rr`, `EXPORT`) stay plain.
//
// Pure data and functions: no DOM, no Node.

import { monarchTokenizer, type LineToken, type MonarchLanguage, type MonarchRule } from './monarch-lite.js';
import { OP_VERBS, SET_VERBS } from './junos-words.js';

export const JUNOS_LANGUAGE_ID = 'junos';

/** Top-level configuration hierarchies (what a set line names first). */
const TOP_LEVEL = [
  'access', 'applications', 'apply-groups', 'bridge-domains', 'chassis', 'class-of-service', 'event-options', 'firewall', 'forwarding-options',
  'groups', 'interfaces', 'policy-options', 'protocols', 'routing-instances', 'routing-options', 'security', 'services', 'snmp', 'switch-options',
  'system', 'vlans',
];

/** Every token type the table gives (without the `.junos` postfix), and what it is. */
export const JUNOS_TOKENS = {
  comment: '# and /* */ comments',
  'comment.note': "Modus's own remarks in results (modus: …)",
  string: 'quoted strings',
  'string.invalid': 'a string not closed on its line',
  'keyword.tag': 'inactive: protect: replace: … tags',
  'keyword.verb': 'set-style and operational verbs, and the command after a CLI prompt',
  'keyword.block': 'the statement a block opens (… {), and the hierarchy a set line names',
  'keyword.leaf': 'the statement of a leaf (… ;)',
  'keyword.deny': 'deny, discard, reject',
  'keyword.accept': 'accept',
  'variable.interface': 'interface names',
  'number.address': 'IPv4 and IPv6 addresses and prefixes',
  number: 'numbers',
  'delimiter.curly': '{ }',
  'delimiter.square': '[ ]',
  delimiter: ';',
  'delimiter.pipe': '|',
  'meta.diff.header': 'a diff header: [edit …]',
  'diff.inserted': "a diff's + sign",
  'diff.deleted': "a diff's - sign",
  'diff.changed': "a diff's ! sign (activation)",
  'meta.prompt': 'a CLI prompt: user@host> or user@host#',
  invalid: 'error: lines',
} as const;

export type JunosToken = keyof typeof JUNOS_TOKENS;

const words = (list: Iterable<string>): string => [...list].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

// Pieces of patterns. Each one is matched at a position (see monarch-lite.ts), so "not preceded by" is never needed.
const END = '(?![\\w./:-])';
const TAG = '(?:inactive|active|protect|unprotect|replace|delete):';
const DENY = '(?:deny|discard|reject)(?![\\w-])';
const ACCEPT = 'accept(?![\\w-])';
const IFACE = [
  '(?:',
  '(?:ge|xe|et|fe|mge|so|gr|ip|lt|vt|ms|si|sp|lsq|pd|pe|ut|at|t1|e1|t3|e3|ce1|ct1|ds|se|fc)-\\d+\\/\\d+\\/\\d+(?::\\d+)?',
  '|(?:ae|lo|em|fxp|me|reth|st|gre|ipip|vlan)\\d+',
  '|vlan(?=\\.\\d)|irb|vme|dsc|lsi|jsrv|vtep',
  ')(?:\\.\\d+)?(?![\\w/.:-])',
].join('');
const H = '[0-9A-Fa-f]{1,4}';
const IPV6 = `(?:(?:${H}:){7}${H}|(?:${H}(?::${H}){0,6})?::(?:${H}(?::${H}){0,6})?)(?:\\/\\d{1,3})?(?![\\w.:/])`;
const IPV4 = '\\d{1,3}(?:\\.\\d{1,3}){3}(?:\\/\\d{1,2})?(?![\\w.:/])';
const NUMBER = `\\d+(?:[.:]\\d+)*[kmg]?${END}`;
/** A statement's first word: not an interface, not an action (they keep their own colour). */
const WORD = `(?!${IFACE}|${DENY}|${ACCEPT})[A-Za-z_][\\w-]*${END}`;
/** The rest of the line reaches `{` (quoted strings skipped) before any `;`. */
const OPENS_BLOCK = '(?=(?:[^;{}"]|"(?:[^"\\\\]|\\\\.)*")*\\{)';
/** The rest of the line reaches `;` before any `{`. */
const ENDS_LEAF = '(?=(?:[^;{}"]|"(?:[^"\\\\]|\\\\.)*")*;)';

const re = (source: string): RegExp => new RegExp(source);

/** Diff signs before a statement: `+    unit 0 {`. */
const SIGNS: readonly [string, JunosToken][] = [['\\+', 'diff.inserted'], ['-', 'diff.deleted'], ['!', 'diff.changed']];

/** The first statement of a line, with what may precede it (a diff sign, a tag). */
function statementRules(): MonarchRule[] {
  const rules: MonarchRule[] = [];
  for (const [look, token] of [[OPENS_BLOCK, 'keyword.block'], [ENDS_LEAF, 'keyword.leaf']] as const) {
    for (const [sign, signToken] of SIGNS) rules.push([re(`^(${sign})(\\s+)((?:${TAG})?)(\\s*)(${WORD})${look}`), [signToken, '', 'keyword.tag', '', token]]);
    rules.push([re(`^(\\s*)((?:${TAG})?)(\\s*)(${WORD})${look}`), ['', 'keyword.tag', '', token]]);
  }
  // A sign or a tag before something that is not a statement word (an interface, an action, a brace).
  for (const [sign, signToken] of SIGNS) rules.push([re(`^(${sign})(\\s+)((?:${TAG})?)`), [signToken, '', 'keyword.tag']]);
  rules.push([re(`^(\\s*)(${TAG})`), ['', 'keyword.tag']]);
  return rules;
}

/** A statement after `{` or `;` on the same line: `unit 0 { family inet { address 192.0.2.1/24; } }`. */
function inlineStatementRules(): MonarchRule[] {
  const rules: MonarchRule[] = [];
  for (const [look, token] of [[OPENS_BLOCK, 'keyword.block'], [ENDS_LEAF, 'keyword.leaf']] as const) {
    for (const [delimiter, delimiterToken] of [['\\{', 'delimiter.curly'], [';', 'delimiter']] as const) {
      rules.push([re(`(${delimiter})(\\s*)((?:${TAG})?)(\\s*)(${WORD})${look}`), [delimiterToken, '', 'keyword.tag', '', token]]);
    }
  }
  return rules;
}

export const JUNOS_MONARCH: MonarchLanguage = {
  defaultToken: '',
  tokenPostfix: `.${JUNOS_LANGUAGE_ID}`,
  tokenizer: {
    root: [
      // Whole lines first (only at the start of a line).
      [/^(\s*)(#.*)$/, ['', 'comment']],
      [/^modus: .*$/, 'comment.note'],
      [/^(\s*)(error: .*)$/, ['', 'invalid']],
      [/^\[edit(?:\s[^\]]*)?\]/, 'meta.diff.header'],
      // `root@edge1# commit check`, `root@edge1> show version` (\x40 is @, which Monarch would read as an attribute).
      [/^([\w.-]+\x40[\w.-]+[>#])(\s+)([A-Za-z][\w-]*)/, ['meta.prompt', '', 'keyword.verb']],
      [/^[\w.-]+\x40[\w.-]+[>#]\s*$/, 'meta.prompt'],
      // A statement (it reaches `{` or `;`) before a verb: `file messages {` is configuration.
      ...statementRules(),
      [re(`^(\\s*)((?:${words(SET_VERBS)})(?![\\w:-]))(\\s*)((?:(?:${words(TOP_LEVEL)})(?![\\w-]))?)`), ['', 'keyword.verb', '', 'keyword.block']],
      [re(`^(\\s*)((?:${words(OP_VERBS)})(?![\\w:-]))`), ['', 'keyword.verb']],
      // Anywhere.
      [/(\s+)(#.*)$/, ['', 'comment']],
      [/\/\*/, { token: 'comment', next: '@comment' }],
      [/"(?:[^"\\]|\\.)*"/, 'string'],
      [/"(?:[^"\\]|\\.)*$/, 'string.invalid'],
      ...inlineStatementRules(),
      [/[{}]/, 'delimiter.curly'],
      [/[[\]]/, 'delimiter.square'],
      [/;/, 'delimiter'],
      [/\|/, 'delimiter.pipe'],
      [re(`${TAG}(?=\\s)`), 'keyword.tag'],
      [re(DENY), 'keyword.deny'],
      [re(ACCEPT), 'keyword.accept'],
      [re(IFACE), 'variable.interface'],
      [re(IPV6), 'number.address'],
      [re(IPV4), 'number.address'],
      [re(NUMBER), 'number'],
      [/\s+/, ''],
      [/[^\s;{}[\]"|]+/, ''],
    ],
    comment: [
      [/\*\//, { token: 'comment', next: '@pop' }],
      [/[^*]+/, 'comment'],
      [/\*/, 'comment'],
    ],
  },
};

/** A run of text and its token (null: plain). */
export interface JunosSpan {
  text: string;
  token: JunosToken | null;
}

const tokenizer = monarchTokenizer(JUNOS_MONARCH);
const POSTFIX = JUNOS_MONARCH.tokenPostfix;

/** Monaco's token types for each line of `text` (`keyword.block.junos`), exactly as the editor gets them. */
export function junosLineTokens(text: string): LineToken[][] {
  return tokenizer.tokenize(text);
}

/**
 * The text cut into spans with their tokens, line endings kept in the
 * spans: joined, the spans are `text` again. What the report colours.
 */
export function junosSpans(text: string): JunosSpan[] {
  const out: JunosSpan[] = [];
  const push = (piece: string, token: JunosToken | null): void => {
    if (piece === '') return;
    const last = out[out.length - 1];
    if (last && last.token === token) last.text += piece;
    else out.push({ text: piece, token });
  };
  const lines = text.split('\n');
  const tokens = tokenizer.tokenize(text.replace(/\r(?=\n)/g, ''));
  lines.forEach((line, i) => {
    const bare = line.endsWith('\r') ? line.slice(0, -1) : line;
    const lineTokens = tokens[i]!;
    push(bare.slice(0, lineTokens[0]?.offset ?? bare.length), null);
    lineTokens.forEach((t, j) => {
      const end = j + 1 < lineTokens.length ? lineTokens[j + 1]!.offset : bare.length;
      const type = t.type.endsWith(POSTFIX) ? (t.type.slice(0, -POSTFIX.length) as JunosToken) : null;
      push(bare.slice(t.offset, end), type);
    });
    push(line.slice(bare.length) + (i + 1 < lines.length ? '\n' : ''), null);
  });
  return out;
}

/** The CSS class a token is drawn with in the report: `jt-keyword-block`. */
export function junosTokenClass(token: JunosToken): string {
  return `jt-${token.replace(/\./g, '-')}`;
}
