// NETCONF framing in the Junos simulator: ]]>]]> messages and RFC 6242
// chunks, arriving in arbitrary pieces.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frame, FrameDecoder, FramingError } from '../../junos-sim/framing.js';

function all(d: FrameDecoder): string[] {
  const out: string[] = [];
  for (let m = d.next(); m !== null; m = d.next()) out.push(m);
  return out;
}

test('end-of-message framing: a delimiter split across reads, whitespace around it, two messages in one read', () => {
  const d = new FrameDecoder();
  d.push(Buffer.from('<rpc>a</rpc>\n]]>'));
  assert.deepEqual(all(d), []);
  assert.equal(d.partial, true);
  d.push(Buffer.from(']]>\n  <rpc>b</rpc>]]>]]><rpc>c</rpc>  ]]>]]>'));
  assert.deepEqual(all(d), ['<rpc>a</rpc>', '<rpc>b</rpc>', '<rpc>c</rpc>']);
  assert.equal(d.partial, false);
});

test('end-of-message framing: one byte at a time, multi-byte characters split', () => {
  const d = new FrameDecoder();
  const bytes = Buffer.from('<rpc>é ✓</rpc>]]>]]>');
  const out: string[] = [];
  for (const b of bytes) {
    d.push(Buffer.from([b]));
    out.push(...all(d));
  }
  assert.deepEqual(out, ['<rpc>é ✓</rpc>']);
});

test('chunked framing: chunks, headers split anywhere, several chunks per message, byte lengths', () => {
  const message = '<rpc message-id="1">é</rpc>';
  const wire = Buffer.concat([Buffer.from('\n#5\n<rpc '), Buffer.from(`\n#${Buffer.byteLength(message) - 5}\n`), Buffer.from(message.slice(5)), Buffer.from('\n##\n')]);
  for (let cut = 1; cut < wire.length; cut += 1) {
    const d = new FrameDecoder();
    d.setMode('chunked');
    d.push(wire.subarray(0, cut));
    const first = all(d);
    d.push(wire.subarray(cut));
    assert.deepEqual([...first, ...all(d)], [message], `cut at ${cut}`);
  }
});

test('chunked framing: whitespace between messages is tolerated; a bad header is an error', () => {
  const d = new FrameDecoder();
  d.setMode('chunked');
  d.push(Buffer.from('\n#3\nabc\n##\n\n  \n#2\nde\n##\n'));
  assert.deepEqual(all(d), ['abc', 'de']);
  d.push(Buffer.from('\n#x\n'));
  assert.throws(() => d.next(), FramingError);
});

test('the mode can switch between messages already buffered (hello, then chunked RPCs in the same read)', () => {
  const d = new FrameDecoder();
  d.push(Buffer.from('<hello/>]]>]]>\n#6\n<rpc/>\n##\n'));
  assert.equal(d.next(), '<hello/>');
  d.setMode('chunked');
  assert.equal(d.next(), '<rpc/>');
});

test('frame(): one buffer per message, delimiter whole', () => {
  assert.equal(frame('<x/>', 'eom').toString(), '<x/>\n]]>]]>\n');
  assert.equal(frame('é', 'chunked').toString(), '\n#2\né\n##\n');
});
