import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameReader, FrameType, encodeFrame, encodeJsonFrame, frameJson } from '../../../main/targets/pty-host/frames.js';

function stream(): Buffer {
  return Buffer.concat([
    encodeJsonFrame(FrameType.Spawn, 1, { file: '/bin/sh', args: ['-c', 'echo é'] }),
    encodeFrame(FrameType.Data, 7, Buffer.from([0, 255, 10, 13, 0xe9])),
    encodeFrame(FrameType.Pause, 4294967295),
    encodeFrame(FrameType.Data, 2, Buffer.alloc(70_000, 0x79)),
  ]);
}

function check(frames: ReturnType<FrameReader['push']>): void {
  assert.deepEqual(
    frames.map((f) => [f.type, f.id, f.payload.byteLength]),
    [
      [FrameType.Spawn, 1, 42],
      [FrameType.Data, 7, 5],
      [FrameType.Pause, 4294967295, 0],
      [FrameType.Data, 2, 70_000],
    ],
  );
  assert.deepEqual(frameJson(frames[0]!), { file: '/bin/sh', args: ['-c', 'echo é'] });
  assert.deepEqual([...frames[1]!.payload], [0, 255, 10, 13, 0xe9]);
  assert.ok(frames[3]!.payload.every((b) => b === 0x79));
}

test('frames come out whole and in order whatever chunks the stream arrives in', () => {
  const bytes = stream();
  check(new FrameReader().push(bytes));
  for (const size of [1, 3, 9, 4096, 65536]) {
    const reader = new FrameReader();
    const frames = [];
    for (let at = 0; at < bytes.byteLength; at += size) frames.push(...reader.push(bytes.subarray(at, at + size)));
    check(frames);
    assert.equal(reader.pendingBytes, 0, `chunks of ${size}`);
  }
});

test('a length no frame can have is a corrupt stream, said as such', () => {
  const bad = Buffer.alloc(9);
  bad.writeUInt32BE(2, 0);
  assert.throws(() => new FrameReader().push(bad), /pty helper stream is corrupt: a frame of 2 bytes/);
  const huge = Buffer.alloc(4);
  huge.writeUInt32BE(0xffffffff, 0);
  assert.throws(() => new FrameReader().push(huge), /corrupt/);
});
