// The notebook model: what the scanner finds in a Markdown file and what the
// engine hands back to be spliced in. Pure data; no I/O anywhere in notebook/.
//
// Offsets are UTF-16 code-unit indices into the decoded text (a JS string),
// end-exclusive. Lines and columns are 1-based, like unified's positions.

export interface Point {
  line: number;
  column: number;
  offset: number;
}

export interface Span {
  start: number;
  end: number;
}

/** A problem with a position, shaped like unified's VFileMessage. */
export interface NotebookMessage {
  file?: string;
  line: number;
  column: number;
  reason: string;
  /** e.g. "unknown-header-argument", "unknown-variable", "unclosed-fence", "front-matter-yaml". */
  ruleId: string;
  severity: 'error' | 'warning';
}

export interface FenceInfo {
  char: '`' | '~';
  length: number;
  /** Indentation of the opening fence within its container (0..3). */
  indent: number;
}

/**
 * What precedes the fence on each line: the block-quote markers and the
 * list-item indentation ('> ', '   ', '> - ' becomes '>   ' on continuation lines).
 * A results block spliced after a code block uses the same container prefix.
 */
export interface Container {
  /** Prefix for continuation lines of this block (what each body line starts with). */
  prefix: string;
}

export interface ResultsBlock {
  /** From the first character of the opening fence line (including its container prefix) to the end of the closing fence line, line ending included. */
  span: Span;
  /** Header arguments of the results fence, in order (`:host r1 :at ... :status pass`). */
  attrs: [string, string][];
  body: string;
  fence: FenceInfo;
  /** False when the results fence is never closed (it then runs to the end of its container). */
  closed?: boolean;
}

export interface CodeBlock {
  /** 0-based position among code blocks (results blocks are not counted). */
  index: number;
  /** From the start of the opening fence line to the end of the closing fence line (line ending included). */
  span: Span;
  /** Where the opening fence starts. */
  start: Point;
  lang: string;
  /** The whole info string after the fence characters. */
  info: string;
  /** The header-argument part of the info string (after the language). */
  argsText: string;
  /** Where argsText starts, to position header-argument messages. */
  argsStart: Point;
  /** Code text, container prefixes removed, line endings normalised to \n. */
  body: string;
  bodySpan: Span;
  /** Where each line of `body` starts in the file (after container prefixes), to position messages. */
  bodyLineStarts?: Point[];
  fence: FenceInfo;
  container: Container;
  /** False when the fence runs to the end of its container without a closing fence. */
  closed: boolean;
  /** The results blocks that directly follow (blank lines between allowed). */
  results: ResultsBlock[];
}

export interface FrontMatter {
  span: Span;
  raw: string;
  /** Parsed YAML, or null when it did not parse (see messages). */
  data: Record<string, unknown> | null;
}

export interface ScannedNotebook {
  text: string;
  /** The dominant line ending; new lines written into the file use it. */
  eol: '\n' | '\r\n';
  /** True when the text began with U+FEFF (kept as is). */
  bom: boolean;
  frontMatter: FrontMatter | null;
  blocks: CodeBlock[];
  messages: NotebookMessage[];
}

export type Status = 'pass' | 'fail' | 'error' | 'timeout' | 'cancelled';

/** One results block to write: one per host. */
export interface ResultEntry {
  /** Ordered attributes: host, at, took, exit, status (and any more). */
  attrs: [string, string][];
  /** Captured text (already resolved through a headless terminal, no escapes). */
  body: string;
}

export interface TextEdit {
  span: Span;
  newText: string;
}
