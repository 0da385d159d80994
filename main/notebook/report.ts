// The HTML report of a notebook (`modus export --html`): pure, no I/O.
//
// Pipeline: remark (parse + GFM + front matter) → our mdast transform (code
// and results blocks become report elements, raw HTML becomes visible text,
// images become links) → remark-rehype → the report frame (title, who/when,
// totals, variables, timeline) → rehype-sanitize → rehype-stringify.
// Sanitising is the last transform: nothing parses HTML after it. The
// document shell around the sanitised body is constant text (doctype, CSS,
// a CSP that forbids scripts and any network fetch) plus the escaped title.
//
// remark and everything after it recurse once per nesting level, and
// micromark's time per line grows with the depth of containers: a notebook
// past the limits of limits.ts (block nesting, inline nesting) never reaches
// remark. Its report is a page listing the problems, and `problems` says so.

import { unified } from 'unified';
import type { Plugin } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import remarkRehype from 'remark-rehype';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import type { Options as SanitizeSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import type { Code, Nodes as MdNodes, Parent as MdParent, Root as MdRoot, RootContent as MdContent } from 'mdast';
import type { Element, ElementContent, Root as HastRoot } from 'hast';
import { scanNotebook } from './scan.js';
import { parseHeaderArgs, parseResultsAttrs } from './header-args.js';
import { isLimitProblem, MAX_INLINE_NESTING, MAX_NESTING, REPORT_RULE } from './limits.js';
import { formatMessage, message } from './messages.js';
import { notebookVariables } from './variables.js';
import { formatDuration, formatTime } from './report-format.js';
import { REPORT_CSS } from './report-style.js';
import { JUNOS_LANGUAGE_ID, JUNOS_TOKENS, junosSpans, junosTokenClass, type JunosToken } from '../../shared/junos-language.js';
import type { NotebookMessage, ScannedNotebook, Status } from './types.js';

/** One run, as the journal recorded it (the output is not needed). */
export interface ReportRun {
  seq: number;
  block: number;
  name: string | null;
  host: string;
  user: string;
  start: string;
  end: string;
  tookMs: number;
  status: Status;
  exitCode: number | null;
}

export interface ReportInput {
  /** The notebook text. */
  text: string;
  /** How the notebook is named in the report (its file name). */
  fileName: string;
  /** The journal's runs in order; null when the notebook has no journal. */
  runs: ReportRun[] | null;
  /** What verifying the journal found (`12 records, chain intact`), shown with the facts. */
  journalNote?: string;
  /** Shown in the footer; omitted when absent (keeps output reproducible). */
  generatedAt?: Date;
  /**
   * Lines (1-based) of results blocks that no longer describe their block
   * (the engine's judgement, run/stale-results.ts): they get a `stale` badge,
   * so a reader knows the code above is not what produced them.
   */
  staleResultLines?: ReadonlySet<number>;
}

export type Totals = Record<Status, number>;

export interface Report {
  html: string;
  title: string;
  /** Status badges shown on results blocks, counted. */
  totals: Totals;
  /**
   * Why the notebook could not be rendered (beyond Modus's limits), with
   * positions; `html` then only lists them. Empty for a real report.
   */
  problems: NotebookMessage[];
}

/**
 * The deepest syntax tree handed on to remark-rehype: block nesting (two
 * levels per list item), inline nesting and some room. Trees stay below it
 * within the scanner's limits; this only guards what the estimate misses.
 */
const MAX_TREE_DEPTH = 2 * MAX_NESTING + MAX_INLINE_NESTING + 50;

const STATUSES: readonly Status[] = ['pass', 'fail', 'error', 'timeout', 'cancelled'];

// --- tiny hast builders ------------------------------------------------------

type Child = ElementContent | string | null | undefined | false;

function h(tagName: string, className: string[] | null, ...children: Child[]): Element {
  const content: ElementContent[] = [];
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    content.push(typeof c === 'string' ? { type: 'text', value: c } : c);
  }
  return { type: 'element', tagName, properties: className ? { className } : {}, children: content };
}

function badge(status: string): Element {
  const known = (STATUSES as readonly string[]).includes(status);
  return h('span', ['badge', known ? `status-${status}` : 'status-unknown'], known ? status : status || 'no status');
}

// --- the notebook body ---------------------------------------------------------

interface BlockFacts {
  /** 0-based; shown from 1, as `modus run` numbers blocks. */
  index: number;
  name: string | null;
  /** A junos block: its code is coloured as the editor colours it. */
  junos: boolean;
  /** Its results are Junos text too (CLI transcripts, diffs), not XML replies (`:format xml`). */
  junosResults: boolean;
}

/**
 * Junos text as spans of the editor's tokens (shared/junos-language.ts):
 * class names only, from a fixed list the sanitiser allows; the text stays
 * text nodes, escaped by the stringifier like any other.
 */
function junosCode(text: string): ElementContent[] {
  return junosSpans(text).map((s) => (s.token ? h('span', [junosTokenClass(s.token)], s.text) : { type: 'text', value: s.text }));
}

const FENCE_START = /^[ \t]{0,3}(`{3,}|~{3,})/;

function isFenced(text: string, node: Code): boolean {
  const offset = node.position?.start.offset;
  return offset !== undefined && FENCE_START.test(text.slice(offset, offset + 64));
}

function resultElement(node: Code, totals: Totals, stale: boolean, junos: boolean): Element {
  const attrs = new Map(parseResultsAttrs(node.meta ?? ''));
  const status = attrs.get('status') ?? '';
  if ((STATUSES as readonly string[]).includes(status)) totals[status as Status] += 1;
  const facts: Child[] = [];
  const fact = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') facts.push(h('span', ['fact'], h('span', ['label'], label), ' ', value));
  };
  fact('host', attrs.get('host'));
  fact('at', attrs.has('at') ? formatTime(attrs.get('at')!) : undefined);
  fact('took', attrs.get('took'));
  fact('exit', attrs.get('exit'));
  // The hash is for the engine (ran-hash.ts); a reader is told what it means instead: stale or not.
  for (const [k, v] of attrs) if (!['host', 'at', 'took', 'exit', 'status', 'hash'].includes(k)) fact(k, v);
  const staleBadge = stale ? [h('span', ['badge', 'stale'], 'stale', h('span', ['stale-why'], ': the block changed since these results were written'))] : [];
  return h(
    'div',
    ['result', `status-${(STATUSES as readonly string[]).includes(status) ? status : 'unknown'}`, ...(stale ? ['stale'] : [])],
    h('div', ['result-head'], badge(status), ...staleBadge, ...facts),
    h('pre', ['output'], junos ? h('code', ['language-junos'], ...junosCode(node.value)) : h('code', null, node.value)),
  );
}

function blockElement(node: Code, facts: BlockFacts | undefined): Element {
  const info = [node.lang ?? '', node.meta ?? ''].filter(Boolean).join(' ');
  const head = h(
    'div',
    ['block-head'],
    facts ? h('span', ['block-index'], `#${facts.index + 1}`) : null,
    facts?.name ? h('span', ['block-name'], facts.name) : null,
    info ? h('code', ['block-info'], info) : null,
  );
  const code = h('code', node.lang ? [`language-${node.lang}`] : null, ...(facts?.junos ? junosCode(node.value) : [node.value]));
  return h('div', ['block'], head, h('pre', ['source-code'], code));
}

/** An mdast node rendered as the given hast element by remark-rehype. */
function embed(element: Element): MdContent {
  return { type: 'paragraph', children: [], data: { hName: 'div', hProperties: { className: ['embed'] }, hChildren: [element] } } as MdContent;
}

function transformNotebook(text: string, blocks: Map<number, BlockFacts>, totals: Totals, staleLines: ReadonlySet<number>): Plugin<[], MdRoot> {
  return () => (tree: MdRoot) => {
    const visit = (parent: MdParent): void => {
      const out: MdContent[] = [];
      /** The code block the results that follow belong to (results directly follow their block). */
      let owner: BlockFacts | undefined;
      for (const child of parent.children as MdContent[]) {
        const node = child as MdNodes;
        if (node.type === 'yaml') continue;
        if (node.type === 'code' && isFenced(text, node)) {
          if (node.lang === 'results') out.push(embed(resultElement(node, totals, staleLines.has(node.position?.start.line ?? -1), owner?.junosResults ?? false)));
          else {
            owner = blocks.get(node.position?.start.line ?? -1);
            out.push(embed(blockElement(node, owner)));
          }
          continue;
        }
        owner = undefined;
        if (node.type === 'html') {
          // Raw HTML never reaches the report, not even as text (it would
          // carry `onerror=`-style strings into a security review's grep).
          // A block of it leaves a visible note; inline tags just vanish.
          const blockLevel = parent.type === 'root' || parent.type === 'blockquote' || parent.type === 'listItem';
          if (blockLevel) out.push({ type: 'paragraph', children: [{ type: 'text', value: '(raw HTML omitted from the report)' }], data: { hProperties: { className: ['raw-html'] } } } as MdContent);
          continue;
        }
        if (node.type === 'image') {
          // No external fetches from a report: an image becomes a link to it.
          out.push({ type: 'link', url: node.url, title: node.title ?? null, children: [{ type: 'text', value: node.alt || node.url }] } as MdContent);
          continue;
        }
        if ('children' in node) visit(node as MdParent);
        out.push(child);
      }
      parent.children = out as MdParent['children'];
    };
    visit(tree);
  };
}

// --- the frame around it ---------------------------------------------------------

function table(className: string, head: string[], rows: Child[][]): Element {
  return h(
    'table',
    [className],
    h('thead', null, h('tr', null, ...head.map((c) => h('th', null, c)))),
    h('tbody', null, ...rows.map((r) => h('tr', null, ...r.map((c) => h('td', null, c))))),
  );
}

interface TimelineRow {
  time: string;
  block: string;
  host: string;
  user: string;
  status: string;
  took: string;
  exit: string;
}

function journalTimeline(runs: ReportRun[]): TimelineRow[] {
  return runs.map((r) => ({
    time: formatTime(r.start),
    block: r.name ? `#${r.block + 1} ${r.name}` : `#${r.block + 1}`,
    host: r.host,
    user: r.user,
    status: r.status,
    took: formatDuration(r.tookMs),
    exit: r.exitCode === null ? '–' : String(r.exitCode),
  }));
}

function resultsTimeline(nb: ScannedNotebook, file: string): TimelineRow[] {
  const rows: (TimelineRow & { sort: string })[] = [];
  for (const b of nb.blocks) {
    const name = parseHeaderArgs(b, file).args.name;
    for (const r of b.results) {
      const a = new Map(r.attrs);
      const at = a.get('at') ?? '';
      rows.push({ sort: at, time: at ? formatTime(at) : '–', block: name ? `#${b.index + 1} ${name}` : `#${b.index + 1}`, host: a.get('host') ?? 'local', user: '–', status: a.get('status') ?? '', took: a.get('took') ?? '–', exit: a.get('exit') ?? '–' });
    }
  }
  return rows.sort((x, y) => (x.sort < y.sort ? -1 : x.sort > y.sort ? 1 : 0));
}

function frame(input: ReportInput, nb: ScannedNotebook, title: string, totals: Totals, vars: Record<string, string>): Plugin<[], HastRoot> {
  return () => (tree: HastRoot) => {
    const runs = input.runs;
    const facts: Child[][] = [['Notebook', input.fileName]];
    if (runs && runs.length > 0) {
      const users = [...new Set(runs.map((r) => r.user))];
      const hosts = [...new Set(runs.map((r) => r.host))];
      const first = runs.reduce((m, r) => (r.start < m ? r.start : m), runs[0]!.start);
      const last = runs.reduce((m, r) => (r.end > m ? r.end : m), runs[0]!.end);
      facts.push(['Run by', users.join(', ')], ['First run', formatTime(first)], ['Last run ended', formatTime(last)], ['Runs', `${runs.length} on ${hosts.length} host${hosts.length === 1 ? '' : 's'} (${hosts.join(', ')})`]);
    } else {
      facts.push(['Run by', runs ? 'no runs recorded in the journal' : 'not recorded (no journal beside the notebook)']);
    }
    if (input.journalNote) facts.push(['Journal', input.journalNote]);
    const timeline = runs && runs.length > 0 ? journalTimeline(runs) : resultsTimeline(nb, input.fileName);
    const timelineSource = runs && runs.length > 0 ? 'from the run journal' : 'from the results blocks (no journal)';
    const varNames = Object.keys(vars).sort();

    const header = h(
      'header',
      ['report-head'],
      h('h1', ['report-title'], title),
      h('div', ['totals'], ...STATUSES.map((s) => h('span', ['total', totals[s] > 0 ? `status-${s}` : 'zero'], `${totals[s]} ${s}`))),
      table('facts', ['', ''], facts),
    );
    const summary = h(
      'section',
      ['summary'],
      h('h2', null, 'Variables'),
      varNames.length > 0 ? table('variables', ['Name', 'Value'], varNames.map((n) => [h('code', null, n), h('code', null, vars[n]!)])) : h('p', ['empty'], 'No variables.'),
      h('h2', null, 'Timeline'),
      h('p', ['source'], timelineSource),
      timeline.length > 0
        ? table('timeline', ['Time', 'Block', 'Host', 'User', 'Status', 'Took', 'Exit'], timeline.map((r) => [r.time, r.block, r.host, r.user, badge(r.status), r.took, r.exit]))
        : h('p', ['empty'], 'Nothing has run yet.'),
    );
    const body = h('main', ['notebook'], ...(tree.children as ElementContent[]));
    const footer = input.generatedAt ? h('footer', null, `Exported by Modus on ${formatTime(input.generatedAt.toISOString())}`) : null;
    tree.children = [h('div', ['report'], header, summary, body, footer)];
  };
}

// --- sanitising -----------------------------------------------------------------

const REPORT_CLASSES = [
  'report', 'report-head', 'report-title', 'totals', 'total', 'zero', 'facts', 'summary', 'variables', 'timeline', 'source', 'empty',
  'notebook', 'embed', 'block', 'block-head', 'block-index', 'block-name', 'block-info', 'result', 'result-head', 'fact', 'label',
  'output', 'source-code', 'badge', 'stale', 'stale-why', 'raw-html', 'status-unknown', ...STATUSES.map((s) => `status-${s}`),
  ...(Object.keys(JUNOS_TOKENS) as JunosToken[]).map(junosTokenClass),
];

type AttributeRules = NonNullable<SanitizeSchema['attributes']>;

/**
 * GitHub's allowlist, plus our own class names (exact values only) on every
 * element: element rules that already allow some classes (`section`, `li`,
 * `code` …) get ours added, since an element rule replaces the `*` rule.
 */
function reportAttributes(): AttributeRules {
  const base = defaultSchema.attributes ?? {};
  const out: AttributeRules = {};
  for (const [tag, rules] of Object.entries(base)) {
    let hasClassRule = false;
    out[tag] = rules.map((rule) => {
      if (Array.isArray(rule) && rule[0] === 'className') {
        hasClassRule = true;
        return [...rule, ...REPORT_CLASSES];
      }
      return rule;
    });
    if (tag === '*' && !hasClassRule) out[tag] = [...out[tag]!, ['className', ...REPORT_CLASSES]];
  }
  // Code keeps language classes of any name (`language-python3`), ours too.
  out.code = [['className', /^language-[\w+#.-]+$/, ...REPORT_CLASSES]];
  return out;
}

const SCHEMA: SanitizeSchema = {
  ...defaultSchema,
  tagNames: [...(defaultSchema.tagNames ?? []), 'header', 'main', 'section', 'footer'],
  attributes: reportAttributes(),
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function firstHeading(tree: MdRoot): string | null {
  for (const node of tree.children) {
    if (node.type === 'heading') return plainText(node);
  }
  return null;
}

function plainText(node: MdNodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as MdNodes[]).map(plainText).join('');
  return '';
}

/** Renders the notebook as a self-contained, sanitised HTML document. Never throws for what the notebook says: see `problems`. */
export function renderReport(input: ReportInput): Report {
  const nb = scanNotebook(input.text, input.fileName, { maxInlineNesting: MAX_INLINE_NESTING });
  const refused = nb.messages.filter(isLimitProblem);
  if (refused.length > 0) return refusal(input, nb, refused);
  const blocks = new Map<number, BlockFacts>();
  for (const b of nb.blocks) {
    const { args } = parseHeaderArgs(b, input.fileName);
    const junos = b.lang === JUNOS_LANGUAGE_ID;
    blocks.set(b.start.line, { index: b.index, name: args.name, junos, junosResults: junos && args.format !== 'xml' });
  }
  const { vars } = notebookVariables(nb, {}, input.fileName);
  try {
    const parser = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']);
    const mdast = parser.parse(input.text);
    const deep = tooDeep(mdast);
    if (deep) {
      return refusal(input, nb, [message(deep, `the notebook nests deeper than ${MAX_TREE_DEPTH} levels here (quotes, lists, emphasis, links); Modus does not render it`, REPORT_RULE, 'error', input.fileName)]);
    }
    const declaredTitle = nb.frontMatter?.data?.title;
    const title = (typeof declaredTitle === 'string' && declaredTitle.trim()) || firstHeading(mdast) || input.fileName;
    const totals: Totals = { pass: 0, fail: 0, error: 0, timeout: 0, cancelled: 0 };
    const body = toHtml(mdast, transformNotebook(input.text, blocks, totals, input.staleResultLines ?? new Set()), frame(input, nb, title, totals, vars));
    return { html: page(title, body), title, totals, problems: [] };
  } catch (err) {
    // Nothing known gets here (the limits keep remark's recursion shallow);
    // should something still overflow, the notebook is refused, not the program.
    const why = err instanceof Error ? err.message : String(err);
    return refusal(input, nb, [message({ line: 1, column: 1 }, `the report cannot be rendered (${why}); Modus does not render this notebook`, REPORT_RULE, 'error', input.fileName)]);
  }
}

/** The report of a notebook that is not rendered: the frame, and the problems instead of the notebook. */
function refusal(input: ReportInput, nb: ScannedNotebook, problems: NotebookMessage[]): Report {
  const title = input.fileName;
  const totals: Totals = { pass: 0, fail: 0, error: 0, timeout: 0, cancelled: 0 };
  const tree: MdRoot = {
    type: 'root',
    children: [
      { type: 'paragraph', children: [{ type: 'text', value: 'This notebook cannot be shown as a report:' }] },
      { type: 'list', ordered: false, spread: false, children: problems.map((p) => ({ type: 'listItem', spread: false, children: [{ type: 'paragraph', children: [{ type: 'inlineCode', value: formatMessage(p) }] }] })) },
    ],
  };
  const body = toHtml(tree, asIs, frame(input, nb, title, totals, {}));
  return { html: page(title, body), title, totals, problems };
}

/** The tree as it is (the refusal page is built as a report tree already). */
const asIs: Plugin<[], MdRoot> = () => () => undefined;

function toHtml(mdast: MdRoot, transform: Plugin<[], MdRoot>, frameIt: Plugin<[], HastRoot>): string {
  const processor = unified()
    .use(transform)
    .use(remarkRehype)
    .use(frameIt)
    .use(rehypeSanitize, SCHEMA) // last transform: nothing re-parses HTML after this
    .use(rehypeStringify);
  return processor.stringify(processor.runSync(mdast));
}

/** Where the tree first goes deeper than MAX_TREE_DEPTH, walked without recursion; null when it does not. */
function tooDeep(tree: MdRoot): { line: number; column: number } | null {
  const stack: [MdNodes, number][] = [[tree, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_TREE_DEPTH) return { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 };
    if ('children' in node) for (const child of node.children as MdNodes[]) stack.push([child, depth + 1]);
  }
  return null;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="generator" content="Modus">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
