// Finding `{{name}}` references. Spaces inside the braces are allowed
// (`{{ name }}`); names start with a letter or `_` and go on with letters,
// digits, `_`, `.` and `-`. Anything else between braces (`{{.State}}`,
// `{{ $x }}`) is not a reference and stays as written, so Go and Jinja
// templates inside commands survive. `\{{` writes a literal `{{`.

export interface VariableRef {
  name: string;
  /** Index of the first character of the reference (the `{{`, or the `\` of an escape). */
  index: number;
  /** Length of the whole reference in the text. */
  length: number;
  /** True for `\{{`: the reference is an escape that stands for a literal `{{`. */
  escape: boolean;
}

const NAME_RE = /^[A-Za-z_][\w.-]*$/;

export function isVariableName(name: string): boolean {
  return NAME_RE.test(name);
}

export function findVariableRefs(text: string): VariableRef[] {
  const refs: VariableRef[] = [];
  // The first `}}` at or after `close`'s search point, kept until passed:
  // searching afresh for each of many `{{` read to the end each time.
  let close = -2;
  let i = text.indexOf('{{');
  while (i >= 0) {
    if (i > 0 && text[i - 1] === '\\') {
      refs.push({ name: '', index: i - 1, length: 3, escape: true });
      i = text.indexOf('{{', i + 2);
      continue;
    }
    if (close === -2 || (close >= 0 && close < i + 2)) close = text.indexOf('}}', i + 2);
    if (close < 0) break;
    const ref = referenceAt(text, i);
    if (ref !== null) {
      refs.push(ref);
      i = text.indexOf('{{', ref.index + ref.length);
    } else {
      i = text.indexOf('{{', i + 1);
    }
  }
  return refs;
}

/**
 * The reference whose `{{` is at `i`, or null when the braces hold
 * something else. It reads only as far as the first character that cannot
 * be part of one, never past the next `{`, so a text of many `{{` is read
 * once (slicing up to the next `}}` for each was quadratic).
 */
function referenceAt(text: string, i: number): VariableRef | null {
  const n = text.length;
  let k = i + 2;
  while (k < n && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
  const nameStart = k;
  if (k < n && isNameStart(text.charCodeAt(k))) {
    k++;
    while (k < n && isNameChar(text.charCodeAt(k))) k++;
  }
  const nameEnd = k;
  while (k < n && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
  if (nameEnd === nameStart || k + 1 >= n || text.charCodeAt(k) !== 125 || text.charCodeAt(k + 1) !== 125) return null;
  return { name: text.slice(nameStart, nameEnd), index: i, length: k + 2 - i, escape: false };
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 46 || c === 45;
}
