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
  let i = text.indexOf('{{');
  while (i >= 0) {
    if (i > 0 && text[i - 1] === '\\') {
      refs.push({ name: '', index: i - 1, length: 3, escape: true });
      i = text.indexOf('{{', i + 2);
      continue;
    }
    const close = text.indexOf('}}', i + 2);
    if (close < 0) break;
    const inner = text.slice(i + 2, close);
    const name = inner.replace(/^[ \t]+|[ \t]+$/g, '');
    if (NAME_RE.test(name)) {
      refs.push({ name, index: i, length: close + 2 - i, escape: false });
      i = text.indexOf('{{', close + 2);
    } else {
      i = text.indexOf('{{', i + 1);
    }
  }
  return refs;
}
