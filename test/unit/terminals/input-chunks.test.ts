import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { splitInput } from '../../../main/terminals/input-chunks.js';

const decodeStrict = (b: Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(b);

test('small input is one chunk, empty input none', () => {
  assert.deepEqual(splitInput('ls\r').map((b) => b.toString()), ['ls\r']);
  assert.deepEqual(splitInput(''), []);
});

test('chunks respect the size and together are exactly the UTF-8 of the input', () => {
  const text = 'é€😀ab\x1b[31mred\x1b[0m'.repeat(5000);
  const chunks = splitInput(text, 4096);
  assert.ok(chunks.length > 10);
  for (const c of chunks) assert.ok(c.length <= 4096 && c.length > 0);
  assert.deepEqual(Buffer.concat(chunks), Buffer.from(text, 'utf8'));
});

test('a cut never falls inside a UTF-8 character (every chunk decodes on its own)', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.integer({ min: 4, max: 64 }), (text, size) => {
      const chunks = splitInput(text, size);
      for (const c of chunks) decodeStrict(c); // throws on a split character
      assert.equal(chunks.map(decodeStrict).join(''), text);
    }),
    { numRuns: 300 },
  );
});

test('a cut never falls inside an escape sequence that fits in a chunk', () => {
  const sequences = ['\x1b[200~', '\x1b[201~', '\x1b[1;5D', '\x1b]52;c;aGk=\x07', '\x1bOP', '\x1b]0;title\x1b\\', '\x1bb', '\x1b(B'];
  // Printable ASCII fillers: they cannot start or end a sequence by themselves.
  const filler = fc.string({ maxLength: 7 }).map((s) => s.replace(/[^ -~]/g, 'x'));
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom(...sequences), filler), { maxLength: 60 }), fc.integer({ min: 20, max: 40 }), (parts, size) => {
      const text = parts.join('');
      const chunks = splitInput(text, size).map((c) => c.toString('utf8'));
      assert.equal(chunks.join(''), text);
      const cuts = new Set<number>();
      let offset = 0;
      for (const c of chunks) cuts.add((offset += c.length));
      offset = 0;
      for (const part of parts) {
        if (sequences.includes(part)) {
          for (let inner = offset + 1; inner < offset + part.length; inner++) {
            assert.ok(!cuts.has(inner), `${JSON.stringify(part)} at ${offset} was split: ${JSON.stringify(chunks)}`);
          }
        }
        offset += part.length;
      }
    }),
    { numRuns: 500 },
  );
});

test('a bracketed paste end marker right at the chunk boundary moves whole into the next chunk', () => {
  const text = 'x'.repeat(4093) + '\x1b[201~';
  const chunks = splitInput(text, 4096);
  assert.equal(chunks.length, 2);
  assert.equal(chunks[0]!.length, 4093);
  assert.equal(chunks[1]!.toString(), '\x1b[201~');
});

test('hostile input (unterminated OSCs everywhere) is still cut in linear time and loses nothing', () => {
  const text = '\x1b]'.repeat(300_000);
  const started = process.hrtime.bigint();
  const chunks = splitInput(text, 4096);
  assert.deepEqual(Buffer.concat(chunks), Buffer.from(text));
  assert.ok(Number(process.hrtime.bigint() - started) / 1e9 < 5, 'took too long');
});

test('a chunk size too small to hold a character is refused', () => {
  assert.throws(() => splitInput('abc', 3), /at least 4 bytes/);
});
