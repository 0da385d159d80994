// Host names and users end up as ssh arguments. They are passed as argv
// after `--` (no shell ever sees them), and are still refused here when they
// could be read as an option or carry shell syntax: a notebook that names a
// host `-oProxyCommand=…` or `r1;rm -rf ~` is wrong, whatever the transport.

const FORBIDDEN = /[\s'"`;$\\]/;

/** DNS names stop at 253 characters and login names well before; longer ones are mistakes, or attempts. */
export const MAX_NAME_LENGTH = 255;

/** Why the name is unusable, or null when it is fine. `what` is e.g. "host name". */
export function invalidNameReason(value: string, what: string): string | null {
  if (value === '') return `empty ${what}`;
  if (value.length > MAX_NAME_LENGTH) return `${what} of ${value.length} characters is too long (at most ${MAX_NAME_LENGTH})`;
  if (value.startsWith('-')) return `${what} ${JSON.stringify(value)} starts with "-", which ssh would read as an option`;
  const bad = FORBIDDEN.exec(value);
  if (bad) {
    const ch = bad[0];
    const shown = ch === '\n' ? 'a newline' : ch === '\r' ? 'a carriage return' : ch === '\t' ? 'a tab' : /\s/.test(ch) ? 'whitespace' : `"${ch}"`;
    return `${what} ${JSON.stringify(value)} contains ${shown}; host names and users may not contain whitespace, quotes, backticks, ";", "$" or "\\"`;
  }
  return null;
}

// What ssh itself may be given, checked at the last step before ssh
// (targets/ssh/destination.ts) and by `modus check`, so the two agree: a
// name a run would refuse is an error before anything runs.
const SSH_HOST = /^[A-Za-z0-9_][A-Za-z0-9_.:%-]*$/;
const SSH_BRACKETED = /^\[[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?\]$/;
const SSH_USER = /^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$/;

/** An IPv6 address in brackets, as `[2001:db8::1]`: ssh takes it without them. */
export function isBracketedAddress(value: string): boolean {
  return SSH_BRACKETED.test(value);
}

/** Why `value` cannot reach ssh as a host (an alias, a DNS name, an address), or null. */
export function sshHostReason(value: string): string | null {
  if (value === '') return 'empty host name';
  if (value.length > MAX_NAME_LENGTH) return `host name of ${value.length} characters is too long (at most ${MAX_NAME_LENGTH})`;
  if (value.startsWith('-')) return `host name ${JSON.stringify(value)} starts with "-", which ssh would read as an option`;
  if (!SSH_HOST.test(value) && !SSH_BRACKETED.test(value)) return `host name ${JSON.stringify(value)} has characters a host name cannot have (letters, digits, "." "-" "_" ":" "%" only)`;
  return null;
}

/** Why `value` cannot reach ssh as a user, or null. */
export function sshUserReason(value: string): string | null {
  if (value === '') return 'empty user name';
  if (value.length > MAX_NAME_LENGTH) return `user name of ${value.length} characters is too long`;
  if (value.startsWith('-')) return `user ${JSON.stringify(value)} starts with "-", which ssh would read as an option`;
  if (!SSH_USER.test(value)) return `user ${JSON.stringify(value)} has characters a user name cannot have (letters, digits, "." "-" "_" "+" "@" only)`;
  return null;
}

/**
 * Edit distance counting a swap of neighbours as one edit (optimal string
 * alignment), for "did you mean" lists. Three rows, not the whole matrix:
 * it runs for every known name against every unknown one.
 */
export function editDistance(a: string, b: string): number {
  let before = new Int32Array(b.length + 1); // row i - 2
  let previous = new Int32Array(b.length + 1); // row i - 1
  let row = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j += 1) previous[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2] + 1);
      row[j] = best;
    }
    [before, previous, row] = [previous, row, before];
  }
  return previous[b.length];
}

/** Known names close to `name` (typos, prefixes), closest first. */
export function nearNames(name: string, known: Iterable<string>, limit = 5): string[] {
  const lower = name.toLowerCase();
  const scored: [string, number][] = [];
  for (const k of new Set(known)) {
    const kl = k.toLowerCase();
    const threshold = Math.max(1, Math.floor(Math.max(lower.length, kl.length) / 3));
    // One is a prefix of the other: the distance is the length difference.
    // Otherwise a length difference past the threshold is a distance past it.
    if (kl.startsWith(lower) || lower.startsWith(kl)) scored.push([k, Math.abs(kl.length - lower.length)]);
    else if (Math.abs(kl.length - lower.length) <= threshold) {
      const d = editDistance(lower, kl);
      if (d <= threshold) scored.push([k, d]);
    }
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

type GlobToken = { kind: 'star' } | { kind: 'any' } | { kind: 'char'; char: string } | { kind: 'class'; re: RegExp };

/**
 * The same globs as globToRegExp, matched without a regular expression:
 * `*a*a*a…b` as a RegExp backtracks exponentially on a name it does not
 * match, and `:host` globs come from the notebook. This matcher backs up
 * only to the last `*`, so it takes at most glob length × name length steps.
 */
export function compileGlob(glob: string): (name: string) => boolean {
  const tokens: GlobToken[] = [];
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i]!;
    if (c === '*') {
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') tokens.push({ kind: 'any' });
    else if (c === '[' && glob.indexOf(']', i + 2) >= 0) {
      const close = glob.indexOf(']', i + 2);
      const body = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
      let re: RegExp;
      try {
        // One character against one class: nothing to backtrack.
        re = new RegExp(`^[${body}]$`);
      } catch {
        // `[z-a]` is no class: its `[` is a plain character, as an unclosed one is.
        tokens.push({ kind: 'char', char: c });
        continue;
      }
      tokens.push({ kind: 'class', re });
      i = close;
    } else tokens.push({ kind: 'char', char: c });
  }
  const one = (t: GlobToken, ch: string): boolean => t.kind === 'any' || (t.kind === 'char' ? t.char === ch : t.kind === 'class' && t.re.test(ch));
  return (name) => {
    let t = 0;
    let n = 0;
    let starT = -1;
    let starN = 0;
    while (n < name.length) {
      const token = tokens[t];
      if (token?.kind === 'star') {
        starT = t++;
        starN = n;
      } else if (token !== undefined && one(token, name[n]!)) {
        t += 1;
        n += 1;
      } else if (starT >= 0) {
        t = starT + 1;
        n = ++starN;
      } else return false;
    }
    while (tokens[t]?.kind === 'star') t += 1;
    return t === tokens.length;
  };
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
