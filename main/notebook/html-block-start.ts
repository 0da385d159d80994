// Which CommonMark HTML block (kinds 1..7) a line starts, and whether a line
// ends it. A fence inside an HTML block is not a fence, so the scanner must
// know exactly where HTML blocks start and end. The rules follow micromark's
// html-flow (what remark uses), which differ from the reference
// implementation in small ways (`</pre>` alone is kind 7, `<!-->` closes at once).

const BLOCK_NAMES = new Set([
  'address', 'article', 'aside', 'base', 'basefont', 'blockquote', 'body', 'caption', 'center',
  'col', 'colgroup', 'dd', 'details', 'dialog', 'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'form', 'frame', 'frameset', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'head',
  'header', 'hr', 'html', 'iframe', 'legend', 'li', 'link', 'main', 'menu', 'menuitem', 'nav',
  'noframes', 'ol', 'optgroup', 'option', 'p', 'param', 'search', 'section', 'summary', 'table',
  'tbody', 'td', 'tfoot', 'th', 'thead', 'title', 'tr', 'track', 'ul',
]);
const RAW_NAMES = new Set(['pre', 'script', 'style', 'textarea']);

export interface HtmlStart {
  kind: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  /** Offset just after the opening construct, where the search for the end condition begins. */
  after: number;
}

const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isSpace = (c: number): boolean => c === 32 || c === 9;

/**
 * `s` is the line, `i` the offset of its `<`, `end` the end of the line
 * content. `interrupting` is true when the line would interrupt a paragraph
 * (kind 7 cannot).
 */
export function htmlBlockStart(s: string, i: number, end: number, interrupting: boolean): HtmlStart | null {
  const at = (k: number): number => (k < end ? s.charCodeAt(k) : -1);
  let p = i + 1;
  let c = at(p);
  if (c === 33 /* ! */) {
    c = at(p + 1);
    if (c === 45 && at(p + 2) === 45) return { kind: 2, after: p + 3 };
    if (c === 91 && s.startsWith('[CDATA[', p + 1) && p + 8 <= end) return { kind: 5, after: p + 8 };
    if (isAlpha(c)) return { kind: 4, after: p + 2 };
    return null;
  }
  if (c === 63 /* ? */) return { kind: 3, after: p + 1 };
  let closing = false;
  if (c === 47 /* / */) {
    closing = true;
    p++;
    c = at(p);
  }
  if (!isAlpha(c)) return null;
  const nameStart = p;
  while (isAlpha(c) || isDigit(c) || c === 45) c = at(++p);
  if (!(c === -1 || c === 47 || c === 62 || isSpace(c))) return null;
  const name = s.slice(nameStart, p).toLowerCase();
  if (c !== 47 && !closing && RAW_NAMES.has(name)) return { kind: 1, after: p };
  if (BLOCK_NAMES.has(name)) {
    if (c === 47) return at(p + 1) === 62 ? { kind: 6, after: p + 2 } : null;
    return { kind: 6, after: p };
  }
  if (interrupting) return null;
  return completeTagRestIsBlank(s, p, end, closing) ? { kind: 7, after: end } : null;
}

/** After a tag name: the rest of a complete open or closing tag, then only spaces to the end of the line. */
function completeTagRestIsBlank(s: string, p: number, end: number, closing: boolean): boolean {
  const at = (k: number): number => (k < end ? s.charCodeAt(k) : -1);
  let c = at(p);
  if (closing) {
    while (isSpace(c)) c = at(++p);
  } else {
    for (;;) {
      // Before an attribute name: spaces, `/` (self-closing end) or a name.
      const hadSpace = isSpace(c);
      while (isSpace(c)) c = at(++p);
      if (c === 47 /* / */) {
        c = at(++p);
        break;
      }
      if (!hadSpace || !(c === 58 || c === 95 || isAlpha(c))) break;
      while (c === 45 || c === 46 || c === 58 || c === 95 || isAlpha(c) || isDigit(c)) c = at(++p);
      let q = p;
      let d = c;
      while (isSpace(d)) d = at(++q);
      if (d !== 61 /* = */) continue; // attribute without value; spaces re-read above
      p = q + 1;
      c = at(p);
      while (isSpace(c)) c = at(++p);
      if (c === 34 || c === 39) {
        const quote = c;
        c = at(++p);
        while (c !== quote) {
          if (c === -1) return false;
          c = at(++p);
        }
        c = at(++p);
        if (!(c === 47 || c === 62 || isSpace(c))) return false;
      } else {
        if (c === -1 || c === 60 || c === 61 || c === 62 || c === 96) return false;
        while (!(c === -1 || c === 34 || c === 39 || c === 47 || c === 60 || c === 61 || c === 62 || c === 96 || isSpace(c))) {
          c = at(++p);
        }
      }
    }
  }
  if (c !== 62 /* > */) return false;
  c = at(++p);
  while (isSpace(c)) c = at(++p);
  return c === -1;
}

/** Whether the part of a line from `from` to `end` satisfies the end condition of an HTML block of kind 1..5. */
export function htmlBlockEnds(kind: number, s: string, from: number, end: number, first: boolean): boolean {
  const line = s.slice(from, end);
  switch (kind) {
    case 1:
      return /<\/(?:pre|script|style|textarea)>/i.test(line);
    case 2:
      return (first && (line.startsWith('>') || line.startsWith('->'))) || line.includes('-->');
    case 3:
      return (first && line.startsWith('>')) || line.includes('?>');
    case 4:
      return line.includes('>');
    case 5:
      return line.includes(']]>');
    default:
      return false;
  }
}
