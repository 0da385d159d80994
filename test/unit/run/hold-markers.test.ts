import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HoldMarkers, readableCommand, type HoldEvent } from '../../../main/targets/hold-markers.js';

const nonce = 'cd'.repeat(16);
const P = `\x1b]6973;P;${nonce}\x07`;
const C = (line: string, n = nonce): string => `\x1b]6973;C;${n};${line}\x07`;
const H = (how: string): string => `\x1b]6973;H;${nonce};${how}\x07`;

function feedAll(chunks: string[]): { output: string; events: HoldEvent[] } {
  const m = new HoldMarkers(nonce);
  let output = '';
  const events: HoldEvent[] = [];
  for (const c of chunks) {
    const r = m.feed(Buffer.from(c, 'latin1'));
    output += Buffer.from(r.output).toString('latin1');
    events.push(...r.events);
  }
  output += Buffer.from(m.flush()).toString('latin1');
  return { output, events };
}

test('markers with the nonce become events and leave the output; everything else passes through', () => {
  const stream = `${P}(s) ~ $ ls\r\n${C('ls')}a b\r\n${P}(s) ~ $ ${H('handback')}`;
  assert.deepEqual(feedAll([stream]), {
    output: '(s) ~ $ ls\r\na b\r\n(s) ~ $ ',
    events: [{ kind: 'prompt' }, { kind: 'command', line: 'ls' }, { kind: 'prompt' }, { kind: 'back', how: 'handback' }],
  });
});

test('markers split at every position are still found, and nothing is lost or doubled', () => {
  const stream = `x${P}y${C('sleep\\ 1')}z${H('eof')}w`;
  for (let i = 1; i < stream.length; i++) {
    for (let j = i + 1; j < stream.length; j++) {
      const r = feedAll([stream.slice(0, i), stream.slice(i, j), stream.slice(j)]);
      assert.equal(r.output, 'xyzw', `${i},${j}`);
      assert.deepEqual(r.events.map((e) => e.kind), ['prompt', 'command', 'back'], `${i},${j}`);
    }
  }
});

test('a marker with another nonce (a program faking one) is output, not an event', () => {
  const fake = C('rm -rf /', 'ab'.repeat(16));
  assert.deepEqual(feedAll([`before${fake}after`]), { output: `before${fake}after`, events: [] });
  const unterminated = `\x1b]6973;P;${nonce}${'x'.repeat(5000)}`;
  assert.deepEqual(feedAll([unterminated]), { output: unterminated, events: [] }, 'an OSC without its BEL within bounds is output');
});

test('the T marker names the terminal device', () => {
  assert.deepEqual(feedAll([`\x1b]6973;T;${nonce};/dev/pts/7\x07`]).events, [{ kind: 'tty', path: '/dev/pts/7' }]);
});

test('a command quoted by printf %q reads back plainly in messages', () => {
  assert.equal(readableCommand('sleep\\ 600'), 'sleep 600');
  assert.equal(readableCommand("cat\\ gate\\ \\>\\ out\\;\\ echo\\ done"), 'cat gate > out; echo done');
  assert.equal(readableCommand("$'echo \"a\\nb\"'"), "$'echo \"a\\nb\"'");
});
