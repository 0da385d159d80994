// The structure scanner: front matter, fenced code blocks and the results
// blocks that belong to them, with exact positions, in one pass over the
// lines. It agrees with remark on where every fenced block starts and ends
// (see fences.ts) but builds no syntax tree, so it is fast enough to run on
// every change of a large notebook.

import { fenceLines, fenceLineStarts, scanFenceStructure, type FenceScan, type FenceScanOptions, type RawFence } from './fences.js';
import { scanFrontMatter, type FrontMatterScan } from './front-matter.js';
import { parseResultsAttrs } from './header-args.js';
import { HEADER_ARGS_RULE, INLINE_NESTING_RULE, MAX_HEADER_ARGS_LENGTH, MAX_INLINE_NESTING, MAX_NESTING, NESTING_RULE } from './limits.js';
import { message, sortMessages } from './messages.js';
import type { CodeBlock, NotebookMessage, Point, ResultsBlock, ScannedNotebook } from './types.js';

export const RESULTS_LANG = 'results';

/** The dominant line ending: CRLF when more lines end with it than with a bare LF or CR. */
export function dominantEol(text: string): '\n' | '\r\n' {
  let crlf = 0;
  let other = 0;
  let i = text.indexOf('\n');
  while (i >= 0) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else other++;
    i = text.indexOf('\n', i + 1);
  }
  return crlf > other ? '\r\n' : '\n';
}

export type ScanOptions = FenceScanOptions;

/** The raw structure: BOM, front matter and every fenced block (results blocks included), in order, and where limits were met. */
export function scanStructure(text: string, file?: string, options: ScanOptions = {}): { bom: boolean; frontMatter: FrontMatterScan } & FenceScan {
  const bom = text.charCodeAt(0) === 0xfeff;
  const frontMatter = scanFrontMatter(text, bom ? 1 : 0, file);
  return { bom, frontMatter, ...scanFenceStructure(text, frontMatter.next, frontMatter.nextLine, options) };
}

/**
 * The notebook's structure and its problems. Nesting beyond
 * `options.maxNesting` (default MAX_NESTING) is an error; inline nesting is
 * checked only when `options.maxInlineNesting` is given (the report does).
 */
export function scanNotebook(text: string, file?: string, options: ScanOptions = {}): ScannedNotebook {
  const { bom, frontMatter: fm, fences, tooDeep, inlineTooDeep } = scanStructure(text, file, options);
  const messages: NotebookMessage[] = [...fm.messages];
  if (tooDeep) {
    const max = options.maxNesting ?? MAX_NESTING;
    messages.push(message(tooDeep, `nesting deeper than ${max} block quote/list levels is not supported; Modus does not read this notebook (the quotes and lists here go on past level ${max})`, NESTING_RULE, 'error', file));
  }
  if (inlineTooDeep) {
    const max = options.maxInlineNesting ?? MAX_INLINE_NESTING;
    messages.push(message(inlineTooDeep, `emphasis, strikethrough or brackets nested deeper than ${max} levels are not supported; Modus does not render this notebook (they start here)`, INLINE_NESTING_RULE, 'error', file));
  }

  const blocks: CodeBlock[] = [];
  // The code block each fence belongs to (itself, or the block a results fence attaches to), by fence index.
  const owner: (CodeBlock | undefined)[] = new Array<CodeBlock | undefined>(fences.length);
  // Column 1 of line 1 is after the BOM, as an editor shows it.
  const pointAt = (line: number, lineStart: number, offset: number): Point => ({ line, column: offset - lineStart + 1, offset });

  for (const f of fences) {
    const sp = firstSpace(f.info);
    const lang = sp < 0 ? f.info : f.info.slice(0, sp);
    let argsOffset = sp < 0 ? f.infoStart + f.info.length : f.infoStart + sp;
    while (text.charCodeAt(argsOffset) === 32 || text.charCodeAt(argsOffset) === 9) argsOffset++;
    const argsText = text.slice(argsOffset, f.infoStart + f.info.length);
    const start = pointAt(f.line, f.lineStart, f.fenceStart);
    const fence = { char: f.char, length: f.length, indent: f.indent };
    const span = { start: f.lineStart, end: f.end };
    if (lang === RESULTS_LANG) {
      const target = f.follows ? owner[f.follows.index] : undefined;
      if (!target) {
        messages.push(message(start, 'results block without a code block just above it (only blank lines may separate them); it is ignored', 'orphan-results', 'warning', file));
        continue;
      }
      if (!f.closed) {
        messages.push(message(start, `results block is never closed; add a closing ${f.char.repeat(f.length)} line`, 'unclosed-fence', 'warning', file));
      }
      const results: ResultsBlock = { span, attrs: parseResultsAttrs(argsText), body: bodyOf(text, f), fence, closed: f.closed };
      target.results.push(results);
      owner[f.index] = target;
      continue;
    }

    if (argsText.length > MAX_HEADER_ARGS_LENGTH) {
      messages.push(message(pointAt(f.line, f.lineStart, argsOffset),
        `header arguments of ${argsText.length} characters are not supported (at most ${MAX_HEADER_ARGS_LENGTH}); put long values under vars: in the front matter and write {{name}} here`,
        HEADER_ARGS_RULE, 'error', file));
    }
    if (!f.closed) {
      messages.push(message(start, `code block is never closed; it runs to the end of ${f.prefix ? 'its list item or quote' : 'the file'}. Add a closing ${f.char.repeat(f.length)} line`, 'unclosed-fence', 'warning', file));
    }
    const block: CodeBlock = {
      index: blocks.length,
      span,
      start,
      lang,
      info: f.info,
      argsText,
      argsStart: pointAt(f.line, f.lineStart, argsOffset),
      body: bodyOf(text, f),
      bodySpan: { start: f.bodyStart, end: f.bodyEnd },
      bodyLineStarts: fenceLineStarts(text, f).map(([o, begin], k) => pointAt(f.line + 1 + k, begin, o)),
      fence,
      container: { prefix: f.prefix },
      closed: f.closed,
      results: [],
    };
    blocks.push(block);
    owner[f.index] = block;
  }

  return {
    text,
    eol: dominantEol(text),
    bom,
    frontMatter: fm.frontMatter,
    blocks,
    messages: sortMessages(messages),
  };
}

/** The code text, lines joined with \n; a top-level block without indentation is one slice of the file. */
function bodyOf(text: string, f: RawFence): string {
  if (f.raw) {
    const raw = text.slice(f.bodyStart, f.bodyEnd);
    return raw.indexOf('\r') < 0 ? raw : raw.replace(/\r\n?/g, '\n');
  }
  return fenceLines(text, f).join('\n');
}

function firstSpace(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9) return i;
  }
  return -1;
}
