// fast-check arbitraries for hostile notebooks: what an audit, a fuzzer or a
// malicious colleague would hand Modus. Deep lists and quotes (on one line
// and as stairs), huge lines, long header values, alias bombs and broken
// YAML in the front matter, NUL bytes, lone CRs, BOMs, unterminated fences,
// storms of `{{`, emphasis and brackets, bad host names. Sizes straddle the
// limits of main/notebook/limits.ts so both sides are exercised.

import fc from 'fast-check';
import { MAX_HEADER_ARGS_LENGTH, MAX_NESTING } from '../../../main/notebook/limits.js';

const depth = fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: MAX_NESTING - 2, max: MAX_NESTING + 2 }), fc.integer({ min: MAX_NESTING, max: 3000 }));

const nestedLine = fc.tuple(depth, fc.constantFrom('- ', '> ', '>', '* ', '1. ', '> - ', '[^n]: ', '\t- ', '-\t'), fc.constantFrom('x', '```sh', '~~~', '', '# h', '***', '<div>', '    code'))
  .map(([n, marker, rest]) => marker.repeat(n) + rest);

/** A list nested one level per line, optionally with a code block at the bottom. */
const stairs = fc.tuple(depth, fc.boolean()).map(([n, fence]) => {
  const lines: string[] = [];
  const m = Math.min(n, 400);
  for (let i = 0; i < m; i++) lines.push(`${'  '.repeat(i)}- level ${i}`);
  if (fence) lines.push(`${'  '.repeat(m)}\`\`\`sh`, `${'  '.repeat(m)}echo deep`, `${'  '.repeat(m)}\`\`\``);
  return lines.join('\n');
});

const hugeLine = fc.tuple(fc.integer({ min: 1_000, max: 60_000 }), fc.constantFrom('x', 'ab ', '`', '[', '{{', '\t', ' ', '-', '|', '\\'))
  .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)));

const headerValue = fc.tuple(fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: MAX_HEADER_ARGS_LENGTH - 20, max: MAX_HEADER_ARGS_LENGTH + 20 }), fc.integer({ min: 100_000, max: 140_000 })),
  fc.constantFrom(':expect ', ':host ', ':var x=', ':name ', ':timeout ', ':bogus '), fc.constantFrom('a', 'r1,', '{{', '"', ' ', ':k '))
  .map(([n, key, unit]) => `\`\`\`sh ${key}${unit.repeat(Math.ceil(n / unit.length))}\necho {{x}}\n\`\`\``);

const storm = fc.tuple(fc.integer({ min: 1, max: 1500 }), fc.constantFrom('*a ', '_a ', '~~a ', '[a', '](u)', '*', '**', '{{x}} ', '{{ ', '}}', '\\{{', '<a ', '![', '`'))
  .map(([n, unit]) => unit.repeat(n));

const odd = fc.constantFrom('\u0000', '\u0000\u0000```sh\u0000', '\r', '\r\r\r', '\ufeff', '\ufeff```sh\necho\n```', '\ud800', '\u2028', '```sh\nunterminated', '~~~~\n```\n', '```results :status pass\norphan\n```',
  '```sh :host -oProxyCommand=x,r1;id,$(id),`id`\necho\n```', '```sh :host r1 :host r2 :eval maybe\n```', '```sh\n{{nope}} {{ a b }}\n```', '```sh :eval no\n{{doc}}\n```');

const piece = fc.oneof(nestedLine, stairs, hugeLine, headerValue, storm, odd, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));

const aliasBomb = fc.integer({ min: 2, max: 6 }).map((levels) => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  return lines.join('\n');
});

const frontMatter = fc.oneof(
  fc.constant(''),
  fc.constant('---\ntitle: fine\nvars:\n  x: 1\n---\n'),
  aliasBomb.map((y) => `---\n${y}\n---\n`),
  fc.integer({ min: 1, max: 500 }).map((n) => `---\nvars:\n${'  a: [\n'.repeat(n)}---\n`),
  fc.integer({ min: 1, max: 500 }).map((n) => `---\nvars:\n${Array.from({ length: n }, (_, i) => `  v${i % 400}: ${i}`).join('\n')}\n---\n`),
  fc.constant('---\nno closing line\n'),
  fc.constant('---\r\ntitle: crlf\r\n---\r\n'),
);

const separator = fc.constantFrom('\n', '\n\n', '\r\n', '\r', '');

/** A whole hostile notebook. */
export const hostileNotebook: fc.Arbitrary<string> = fc.tuple(
  fc.boolean(),
  frontMatter,
  fc.array(fc.tuple(piece, separator), { maxLength: 8 }),
).map(([bom, fm, pieces]) => `${bom ? '\ufeff' : ''}${fm}${pieces.map(([p, s]) => p + s).join('')}`);

/** Line lengths as positions count them: line breaks are \n, \r\n and a lone \r; a BOM is not on line 1. */
export function lineLengths(text: string): number[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.split(/\r\n|\r|\n/).map((l) => l.length);
}

/** Whether a message points at a line of the text and a column on it (or just after its end). */
export function insideFile(m: { line: number; column: number }, lengths: readonly number[]): boolean {
  return Number.isInteger(m.line) && Number.isInteger(m.column) && m.line >= 1 && m.line <= lengths.length && m.column >= 1 && m.column <= lengths[m.line - 1]! + 1;
}
