// Tokens of Junos configuration text, shared by the curly-brace parser and
// the set-command reader: words (quoted strings unquoted), braces,
// semicolons, brackets and `/* annotations */`. `#` starts a comment that
// runs to the end of the line (`## Last commit…`, `## SECRET-DATA`).

export type TokenType = 'word' | '{' | '}' | ';' | '[' | ']' | 'annotation';

export interface Token {
  type: TokenType;
  text: string;
  line: number;
  column: number;
}

export class LexError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

const PUNCTUATION = new Set(['{', '}', ';', '[', ']']);

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = () => ({ line, column: i - lineStart + 1 });
  const advance = (to: number) => {
    for (; i < to; i += 1) {
      if (text[i] === '\n') {
        line += 1;
        lineStart = i + 1;
      }
    }
  };
  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c)) {
      advance(i + 1);
      continue;
    }
    if (c === '#') {
      const end = text.indexOf('\n', i);
      advance(end < 0 ? text.length : end);
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const start = at();
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new LexError('unterminated comment', start.line, start.column);
      tokens.push({ type: 'annotation', text: text.slice(i + 2, end).trim(), ...start });
      advance(end + 2);
      continue;
    }
    if (PUNCTUATION.has(c)) {
      tokens.push({ type: c as TokenType, text: c, ...at() });
      advance(i + 1);
      continue;
    }
    if (c === '"') {
      const start = at();
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j += 1) {
        if (text[j] === '\\' && j + 1 < text.length) j += 1;
        value += text[j];
      }
      if (j >= text.length) throw new LexError('unterminated string', start.line, start.column);
      tokens.push({ type: 'word', text: value, ...start });
      advance(j + 1);
      continue;
    }
    const start = at();
    let j = i;
    while (j < text.length && !isSpace(text[j]!) && !PUNCTUATION.has(text[j]!) && text[j] !== '"') j += 1;
    tokens.push({ type: 'word', text: text.slice(i, j), ...start });
    advance(j);
  }
  return tokens;
}
