import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RenderPacer, type PacerClock } from '../../../renderer/src/terminal/render-pacer.js';

const OPTIONS = { floodBytes: 1000, lightBytes: 100, intervalMs: 100, afterInputMs: 1000 };

/** A clock whose timers run only when the test advances it. */
class ManualClock implements PacerClock {
  time = 0;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #next = 1;
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#timers.set(id, { at: this.time + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }
  get pending(): number {
    return this.#timers.size;
  }
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = [...this.#timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = until;
  }
}

interface Rig {
  pacer: RenderPacer;
  clock: ManualClock;
  forwarded: [number, number, boolean][];
  setBacklog: (n: number) => void;
  /** A flood begins (its first screen passes) and, 10 ms later, a second screen is held. */
  holdInFlood: () => void;
}

function rig(): Rig {
  const clock = new ManualClock();
  const forwarded: [number, number, boolean][] = [];
  let backlog = 0;
  const pacer = new RenderPacer((start, end, redrawOnly) => forwarded.push([start, end, redrawOnly]), () => backlog, OPTIONS, clock);
  const holdInFlood = (): void => {
    backlog = 5000;
    pacer.refresh(0, 39, false);
    clock.advance(10);
    pacer.refresh(0, 39, false);
    assert.equal(forwarded.length, 1, 'the flood\'s first screen passed');
    assert.equal(pacer.holding, true, 'and the second is held');
  };
  return { pacer, clock, forwarded, setBacklog: (n) => (backlog = n), holdInFlood };
}

test('without a backlog every refresh passes at once (keystroke echo, light output)', () => {
  const { pacer, clock, forwarded } = rig();
  for (let i = 0; i < 5; i++) {
    pacer.refresh(i, i, false);
    clock.advance(1);
  }
  assert.deepEqual(forwarded, [0, 1, 2, 3, 4].map((i) => [i, i, false]));
  assert.equal(clock.pending, 0);
  assert.equal(pacer.flooding, false);
});

test('in a flood refreshes are gathered into one per interval, their rows merged', () => {
  const { pacer, clock, forwarded, setBacklog } = rig();
  setBacklog(5000);
  pacer.refresh(10, 12, false); // first of the flood: nothing drawn for an interval, so it passes
  assert.equal(forwarded.length, 1);
  assert.equal(pacer.flooding, true);
  clock.advance(20);
  pacer.refresh(3, 4, true);
  clock.advance(20);
  pacer.refresh(20, 23, false);
  assert.equal(forwarded.length, 1, 'held within the interval');
  assert.equal(pacer.holding, true);
  clock.advance(59);
  assert.equal(forwarded.length, 1);
  clock.advance(1); // 100 ms after the first pass
  assert.deepEqual(forwarded[1], [3, 23, false], 'one refresh covering every row asked for; not redraw-only since content changed');
  assert.equal(pacer.holding, false);
  // Sixty refreshes over the next second become ten.
  for (let i = 0; i < 60; i++) {
    pacer.refresh(0, 39, false);
    clock.advance(1000 / 60);
  }
  clock.advance(100);
  assert.ok(forwarded.length - 2 <= 11 && forwarded.length - 2 >= 10, `${forwarded.length - 2} refreshes passed in a second of flood`);
});

test('the flood outlasts a gap between batches: an empty backlog alone does not end it', () => {
  const { pacer, clock, forwarded, setBacklog } = rig();
  setBacklog(5000);
  pacer.refresh(0, 39, false);
  pacer.parsed(5000);
  setBacklog(0); // the page waits for the next batch
  clock.advance(10);
  pacer.refresh(0, 39, false);
  assert.equal(forwarded.length, 1, 'still paced: the last write was a flood write');
  assert.equal(pacer.flooding, true);
  clock.advance(90);
  assert.equal(forwarded.length, 2);
});

test('a light write parsed with little behind it ends the flood and draws what was held at once', () => {
  const { pacer, clock, forwarded, setBacklog, holdInFlood } = rig();
  holdInFlood();
  setBacklog(0);
  pacer.parsed(5000); // a flood write: still held
  assert.equal(forwarded.length, 1);
  pacer.parsed(12); // the prompt
  assert.equal(forwarded.length, 2, 'drawn without waiting for the interval');
  assert.equal(clock.pending, 0, 'no timer left behind');
  assert.equal(pacer.flooding, false);
  pacer.refresh(5, 5, false);
  assert.equal(forwarded.length, 3, 'and the next echo passes at once');
});

test('a light write with much still queued behind it, or a smaller batch of the flood, keeps the flood', () => {
  const { pacer, forwarded, setBacklog, holdInFlood } = rig();
  holdInFlood();
  pacer.parsed(12);
  assert.equal(forwarded.length, 1);
  assert.equal(pacer.flooding, true);
  setBacklog(0);
  pacer.parsed(500); // below floodBytes, but no prompt or echo is this long
  assert.equal(forwarded.length, 1);
  assert.equal(pacer.flooding, true);
});

test('dispose draws what is held and stops pacing', () => {
  const { pacer, clock, forwarded, setBacklog } = rig();
  setBacklog(5000);
  pacer.refresh(0, 1, false);
  clock.advance(10);
  pacer.refresh(2, 3, false);
  pacer.dispose();
  assert.deepEqual(forwarded, [
    [0, 1, false],
    [2, 3, false],
  ]);
  assert.equal(clock.pending, 0);
  pacer.refresh(4, 4, true);
  assert.deepEqual(forwarded[2], [4, 4, true]);
});

test('a light write arriving with nothing unparsed ends the flood before it is parsed: its echo is not held', () => {
  const { pacer, clock, forwarded, setBacklog, holdInFlood } = rig();
  holdInFlood();
  setBacklog(0);
  pacer.parsed(5000);
  assert.equal(forwarded.length, 1);
  pacer.received(1); // a keystroke's echo, right after the flood
  assert.equal(forwarded.length, 2, 'the held screen is drawn now');
  setBacklog(1);
  pacer.refresh(7, 7, false); // xterm parsing the echo
  assert.equal(forwarded.length, 3, 'the echo passes at once');
  assert.equal(clock.pending, 0);
});

test('a light write arriving while the page is still behind does not end the flood', () => {
  const { pacer, forwarded, holdInFlood } = rig();
  holdInFlood();
  pacer.received(1);
  assert.equal(pacer.flooding, true);
  assert.equal(forwarded.length, 1);
});

test('after the user types, nothing is paced for a while: the end of an interrupted flood is drawn at once', () => {
  const { pacer, clock, forwarded, holdInFlood } = rig();
  holdInFlood();
  pacer.input(); // Ctrl+C
  assert.equal(forwarded.length, 2, 'what was held is drawn when the user types');
  clock.advance(5);
  pacer.refresh(0, 39, false); // the rest of the flood, still a backlog, with the prompt at its end
  assert.equal(forwarded.length, 3, 'passes at once within a second of the keystroke');
  clock.advance(1000);
  pacer.refresh(0, 39, false);
  clock.advance(10);
  pacer.refresh(0, 39, false);
  assert.equal(forwarded.length, 4, 'a second later a flood that goes on is paced again');
  assert.equal(pacer.holding, true);
});

test('input outside a flood (the Enter that starts a cat) leaves the flood it starts paced', () => {
  const { pacer, forwarded, holdInFlood } = rig();
  pacer.input();
  holdInFlood();
  assert.equal(forwarded.length, 1);
  assert.equal(pacer.holding, true);
});
