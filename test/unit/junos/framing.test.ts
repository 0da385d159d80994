// NETCONF framing (RFC 6242): end-of-message and chunked, with messages cut
// at every possible byte, multi-byte characters across reads, and the
// framing errors a broken peer causes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkedDecoder, EomDecoder, FramingError, encodeMessage, type MessageDecoder } from '../../../main/targets/junos/framing.js';

function drain(d: MessageDecoder): string[] {
  const out: string[] = [];
  for (let m = d.next(); m !== null; m = d.next()) out.push(m);
  return out;
}

function feedAll(d: MessageDecoder, pieces: Buffer[]): string[] {
  const out: string[] = [];
  for (const p of pieces) {
    d.push(p);
    out.push(...drain(d));
  }
  return out;
}

const messages = ['<rpc-reply message-id="1"><ok/></rpc-reply>', '<rpc-reply message-id="2"><output>café ✓ 🚀 ]]&gt;]]&gt;</output></rpc-reply>', '<x/>'];

test('end-of-message framing: each message ends with ]]>]]>, written as one buffer', () => {
  const b = encodeMessage('<a/>', 'eom');
  assert.equal(b.toString('utf8'), '<a/>]]>]]>');
});

test('chunked framing: one chunk per message, its size in bytes (not characters)', () => {
  const b = encodeMessage('<a>é</a>', 'chunked');
  assert.equal(b.toString('utf8'), '\n#9\n<a>é</a>\n##\n');
  assert.throws(() => encodeMessage('', 'chunked'), FramingError);
});

for (const framing of ['eom', 'chunked'] as const) {
  const make = (): MessageDecoder => (framing === 'eom' ? new EomDecoder() : new ChunkedDecoder());
  const stream = Buffer.concat(messages.map((m) => encodeMessage(m, framing)));

  test(`${framing}: every message comes out whole whatever the reads (split at every byte)`, () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const got = feedAll(make(), [stream.subarray(0, cut), stream.subarray(cut)]);
      assert.deepEqual(got, messages, `cut at ${cut}`);
    }
  });

  test(`${framing}: one byte at a time`, () => {
    const pieces = [...stream].map((b) => Buffer.from([b]));
    assert.deepEqual(feedAll(make(), pieces), messages);
  });

  test(`${framing}: nothing comes out before a message is whole`, () => {
    const d = make();
    d.push(stream.subarray(0, encodeMessage(messages[0]!, framing).length - 1));
    assert.equal(d.next(), null);
  });
}

test('chunked: a message may come in several chunks', () => {
  const d = new ChunkedDecoder();
  d.push(Buffer.from('\n#4\n<rpc\n#18\n-reply><ok/></rpc-\n#6\nreply>\n##\n'));
  assert.deepEqual(drain(d), ['<rpc-reply><ok/></rpc-reply>']);
});

test('chunked: extra newlines between messages are tolerated (a hello ended with "]]>]]>\\n")', () => {
  const d = new ChunkedDecoder();
  d.push(Buffer.from('\n\n#3\n<a/\n#1\n>\n##\n'));
  assert.deepEqual(drain(d), ['<a/>']);
});

test('chunked: broken framing is a FramingError that says what was wrong', () => {
  const cases: [string, RegExp][] = [
    ['x', /expected a newline before a chunk header, got "x"/],
    ['\n#0\n', /chunk size \(1-9 first\)/],
    ['\n#12a\n', /unexpected "a" in a chunk size/],
    ['\n##\n', /ended before any chunk/],
    ['\n#99999999999\n', /too many digits|larger than RFC 6242 allows/],
    ['\n#4294967296\n', /larger than RFC 6242 allows/],
  ];
  for (const [bytes, why] of cases) {
    const d = new ChunkedDecoder();
    assert.throws(() => d.push(Buffer.from(bytes)), (e: Error) => e instanceof FramingError && why.test(e.message), JSON.stringify(bytes));
  }
});

test('end-of-message: what follows the last delimiter is handed over when the framing changes', () => {
  const d = new EomDecoder();
  d.push(Buffer.from('<hello/>]]>]]>\n#3\n<a/'));
  assert.equal(d.next(), '<hello/>');
  assert.equal(d.takeRest().toString(), '\n#3\n<a/');
  assert.equal(d.next(), null);
});

test('end-of-message: a delimiter split across three reads is found', () => {
  const d = new EomDecoder();
  for (const p of ['<a/>]', ']>]', ']>']) d.push(Buffer.from(p));
  assert.equal(d.next(), '<a/>');
});
