// Host names and users end up as ssh arguments. They are passed as argv
// after `--` (no shell ever sees them), and are still refused here when they
// could be read as an option or carry shell syntax: a notebook that names a
// host `-oProxyCommand=…` or `r1;rm -rf ~` is wrong, whatever the transport.

const FORBIDDEN = /[\s'"`;$\\]/;

/** Why the name is unusable, or null when it is fine. `what` is e.g. "host name". */
export function invalidNameReason(value: string, what: string): string | null {
  if (value === '') return `empty ${what}`;
  if (value.startsWith('-')) return `${what} ${JSON.stringify(value)} starts with "-", which ssh would read as an option`;
  const bad = FORBIDDEN.exec(value);
  if (bad) {
    const ch = bad[0];
    const shown = ch === '\n' ? 'a newline' : ch === '\r' ? 'a carriage return' : ch === '\t' ? 'a tab' : /\s/.test(ch) ? 'whitespace' : `"${ch}"`;
    return `${what} ${JSON.stringify(value)} contains ${shown}; host names and users may not contain whitespace, quotes, backticks, ";", "$" or "\\"`;
  }
  return null;
}

/** Edit distance counting a swap of neighbours as one edit (optimal string alignment), for "did you mean" lists. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Known names close to `name` (typos, prefixes), closest first. */
export function nearNames(name: string, known: Iterable<string>, limit = 5): string[] {
  const lower = name.toLowerCase();
  const scored: [string, number][] = [];
  for (const k of new Set(known)) {
    const kl = k.toLowerCase();
    const d = editDistance(lower, kl);
    const threshold = Math.max(1, Math.floor(Math.max(lower.length, kl.length) / 3));
    if (d <= threshold || kl.startsWith(lower) || lower.startsWith(kl)) scored.push([k, d]);
  }
  return scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, limit).map(([k]) => k);
}

/** Shell-style glob (`*`, `?`, `[…]`) as a whole-string, case-sensitive match. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function isGlob(name: string): boolean {
  return /[*?[]/.test(name);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+\.?$/i;

/** An IPv4/IPv6 literal or a dotted DNS name (a bare word is not: it is more likely a typo). */
export function looksLikeAddress(name: string): boolean {
  if (IPV4.test(name)) return true;
  const unbracketed = name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
  if (unbracketed.includes(':') && /^[0-9a-f:.]+(%[\w.-]+)?$/i.test(unbracketed) && unbracketed.split(':').length >= 3) return true;
  return DNS_NAME.test(name) && !/^[\d.]+$/.test(name);
}
