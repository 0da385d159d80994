// The gist of why a host failed, for a block's summary line
// (`[4] error: 12 pass, 2 error: h93 (connection refused), r7 (…)`): the
// host is named already, so the message's `cannot connect to HOST (…): `
// goes; the advice after `; ` goes; what is left is cut only where a
// reader would pause (a clause, else a word), never inside parentheses.

/** Reasons longer than this (in characters) are cut. */
const MAX_REASON = 60;

const CONNECT_PREFIX = /^cannot (?:connect to|reach) \S+?(?: \([^()]*\))?: /;
const EXPECTATION = /^expected \/(.*)\/ not found in the output$/s;

/** `connection refused`, `exit status 1, expected 0`, `via bastion: authentication failed`. */
export function shortReason(message: string): string {
  // A jump host's own failure (jump-host.ts) is one of the sentences below, after the ProxyJump's name.
  const ownJump = /^cannot reach \S+ through its ProxyJump (\S+): ((?:cannot connect to|authentication to|the host key of|the connection to) .*)$/s.exec(message);
  if (ownJump) return `via ${ownJump[1]}: ${shortReason(ownJump[2]!)}`;
  const clause = firstClause(message);
  const jump = /through its ProxyJump ([^\s:]+)/.exec(clause);
  if (jump) return `via ${jump[1]}: ${fitReason(clause.slice(clause.lastIndexOf(': ') + 2), MAX_REASON - jump[1]!.length - 6)}`;
  const gist = fixedGist(clause);
  if (gist !== null) return gist;
  const expectation = EXPECTATION.exec(clause);
  if (expectation) return fitExpectation(expectation[1]!);
  const closed = /^the connection to \S+ was closed: (.*)$/s.exec(clause);
  if (closed) return fitReason(`connection closed: ${closed[1]}`);
  const ssh = /^ssh to \S+ failed: (.*)$/s.exec(clause);
  if (ssh) return fitReason(`ssh failed: ${ssh[1]}`);
  return fitReason(clause.replace(CONNECT_PREFIX, ''));
}

/** Failures whose gist is always the same few words. */
function fixedGist(clause: string): string | null {
  if (/^authentication to \S+ (?:as \S+(?: port \d+)? )?failed/.test(clause)) return 'authentication failed';
  if (/host key of \S+ has CHANGED/.test(clause)) return 'host key changed';
  if (/host key of .* is not known/.test(clause)) return 'unknown host key';
  if (/host key of \S+ could not be verified/.test(clause)) return 'host key not verified';
  if (/connection to \S+ was lost/.test(clause)) return 'connection lost';
  return null;
}

/**
 * The message up to its first `; ` outside parentheses (what follows is
 * advice, or a second problem). An expectation's pattern may hold `; `
 * itself, so it is skipped whole.
 */
export function firstClause(message: string): string {
  let depth = 0;
  for (let i = 0; i < message.length; i++) {
    const c = message[i];
    if (c === '/' && message.startsWith('expected /', i - 'expected '.length)) {
      const end = message.indexOf('/ not found in the output', i + 1);
      if (end > 0) i = end;
    } else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && message[i + 1] === ' ' && depth === 0) return message.slice(0, i);
  }
  return message;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * `text` in at most `max` characters: whole if it fits; without its
 * closing parenthetical if that is enough; else cut after the last clause
 * (`,` `:`) or word that fits with its parentheses closed, and `…`.
 */
export function fitReason(text: string, max = MAX_REASON): string {
  if (text.length <= max) return text;
  const trailing = /^(.*\S) \([^()]*\)$/s.exec(text);
  if (trailing && trailing[1]!.length <= max && balanced(trailing[1]!)) return trailing[1]!;
  let clause = -1;
  let word = -1;
  // Open parentheses before i; below zero once one closes that never opened (then no cut is balanced).
  let depth = 0;
  for (let i = 0; i < text.length && i <= max - 1 && depth >= 0; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ' ' && i > 0 && depth === 0) {
      word = i;
      if (text[i - 1] === ',' || text[i - 1] === ':') clause = i - 1;
    }
  }
  // A clause boundary is worth keeping unless it throws most of the room away.
  const at = clause >= max / 2 ? clause : word > 0 ? word : clause;
  if (at > 0) return `${text.slice(0, at)}…`;
  return `${cutBalanced(text, max - 1)}…`;
}

/** The first `max` characters of `text` at most, ending before any parenthesis left open. */
function cutBalanced(text: string, max: number): string {
  let cut = text.slice(0, max);
  while (!balanced(cut)) {
    const open = cut.lastIndexOf('(');
    const close = cut.lastIndexOf(')');
    cut = open > close ? cut.slice(0, open) : cut.slice(0, close);
  }
  return cut;
}

/** `expected /PATTERN/ not found`, the pattern cut (it has no words to cut at) with its groups closed. */
function fitExpectation(pattern: string): string {
  const whole = `expected /${pattern}/ not found`;
  if (whole.length <= MAX_REASON) return whole;
  const room = MAX_REASON - 'expected /…/ not found'.length;
  return `expected /${cutBalanced(pattern, room)}…/ not found`;
}
