// `show | compare` between two configurations, in Junos's form: an
// `[edit a b]` header for the hierarchy where statements differ, then the
// statements removed (`-`) and added (`+`) there, printed as in `show
// configuration` (a changed leaf is a `-` and a `+` line). Activation
// changes are `!` lines. An entry added to an ordered list (policy and
// filter terms) is preceded by the entry before it as context, `term a {
// ... }`. Unverified against a router: the exact spacing after the sign.

import { editPath } from './config-path.js';
import { curlyLines, statementText } from './config-print.js';
import { isBlock, keyOf, type ConfigNode } from './config-tree.js';

interface Pair {
  old?: ConfigNode;
  now?: ConfigNode;
}

/** Both children lists merged in print order; removed statements stay where they were. */
function align(old: readonly ConfigNode[], now: readonly ConfigNode[]): Pair[] {
  const nowKeys = new Set(now.map(keyOf));
  const oldIndex = new Map(old.map((n, i) => [keyOf(n), i]));
  const pairs: Pair[] = [];
  let next = 0;
  for (const n of now) {
    const i = oldIndex.get(keyOf(n));
    if (i === undefined) {
      pairs.push({ now: n });
      continue;
    }
    for (; next <= i; next += 1) if (!nowKeys.has(keyOf(old[next]!))) pairs.push({ old: old[next]! });
    pairs.push({ old: old[i]!, now: n });
  }
  for (; next < old.length; next += 1) if (!nowKeys.has(keyOf(old[next]!))) pairs.push({ old: old[next]! });
  return pairs;
}

class DiffWriter {
  readonly lines: string[] = [];
  #header = '';

  emit(path: readonly string[], sign: '+' | '-' | '!' | ' ', body: readonly string[]): void {
    const header = editPath(path);
    if (header !== this.#header) {
      this.lines.push(header);
      this.#header = header;
    }
    for (const line of body) this.lines.push(`${sign}  ${line}`);
  }
}

function sameStatement(a: ConfigNode, b: ConfigNode): boolean {
  return a.kind === b.kind && statementText(a) === statementText(b) && !a.inactive === !b.inactive && !a.protect === !b.protect;
}

function diffChildren(old: ConfigNode, now: ConfigNode, path: string[], w: DiffWriter): void {
  const pairs = align(old.children, now.children);
  pairs.forEach((p, index) => {
    if (p.old && !p.now) {
      w.emit(path, '-', curlyLines([p.old]));
      return;
    }
    if (!p.old && p.now) {
      if (p.now.spec?.ordered) {
        const before = pairs.slice(0, index).reverse().find((q) => q.old && q.now && q.now.words[0] === p.now!.words[0]);
        if (before?.now) w.emit(path, ' ', [`${statementText(before.now)} { ... }`]);
      }
      w.emit(path, '+', curlyLines([p.now]));
      return;
    }
    const a = p.old!;
    const b = p.now!;
    if (!isBlock(a) || !isBlock(b) || a.kind !== b.kind || statementText(a) !== statementText(b)) {
      if (!sameStatement(a, b)) {
        w.emit(path, '-', curlyLines([a]));
        w.emit(path, '+', curlyLines([b]));
      }
      return;
    }
    if (!a.inactive !== !b.inactive) w.emit(path, '!', [`${b.inactive ? 'inactive' : 'active'}: ${statementText(b)} { ... }`]);
    if (!a.protect !== !b.protect) w.emit(path, '!', [`${b.protect ? 'protect' : 'unprotect'}: ${statementText(b)} { ... }`]);
    diffChildren(a, b, [...path, ...b.words], w);
  });
}

/** The differences from `old` to `now`; '' when they are the same. */
export function diffConfig(old: ConfigNode, now: ConfigNode): string {
  const w = new DiffWriter();
  diffChildren(old, now, [], w);
  return w.lines.length === 0 ? '' : `${w.lines.join('\n')}\n`;
}
