import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarkerStream } from '../../../main/targets/marker-stream.js';

const nonce = 'ab'.repeat(16);
const begin = `\x1b]6973;B;${nonce}\x07`;
const end = (status: number, n = nonce): string => `\x1b]6973;E;${n};${status}\x07`;

function feedAll(chunks: string[]): { output: string; status?: number } {
  const m = new MarkerStream(nonce);
  let output = '';
  for (const c of chunks) {
    const r = m.feed(Buffer.from(c, 'latin1'));
    output += Buffer.from(r.output).toString('latin1');
    if (r.endStatus !== undefined) return { output, status: r.endStatus };
  }
  return { output: output + Buffer.from(m.flush()).toString('latin1') };
}

test('output between the markers, status from the end marker; noise before the begin marker is dropped', () => {
  assert.deepEqual(feedAll(['old noise', begin, 'hello\r\n', end(3), 'after']), { output: 'hello\r\n', status: 3 });
});

test('markers split at every position are still found', () => {
  const stream = `x${begin}out${end(0)}`;
  for (let i = 1; i < stream.length; i++) {
    for (let j = i + 1; j < stream.length; j++) {
      assert.deepEqual(feedAll([stream.slice(0, i), stream.slice(i, j), stream.slice(j)]), { output: 'out', status: 0 }, `${i},${j}`);
    }
  }
});

test('an end marker with another nonce is output, not the end', () => {
  const fake = end(0, 'cd'.repeat(16));
  assert.deepEqual(feedAll([begin, `a${fake}b`, end(1)]), { output: `a${fake}b`, status: 1 });
});
