// The notebook the UI bench opens: bench:notebook's generated lab notes (1 MB,
// 5,000 sh blocks with prose between, each with a results block) behind an
// introduction that holds the line the bench types under and the blocks it
// streams: python3 loops printing a line every 10 ms (one process each for
// the whole run, so the load is the UI's, not a fork per line). Each
// streaming block carries the results of an earlier, cancelled run, so the
// first screen shows statuses as soon as the analysis is in.

import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateNotebook } from '../notebook/generate-notebook.js';

export const GENERATED_BLOCKS = 5000;
export const STREAMING_BLOCKS = 20;
/** The bench clicks at the end of this line and types on new lines below it. */
export const TYPING_ANCHOR = 'Notes typed here by the bench:';
/** Enough lines at 10 ms for 10 minutes: far longer than the typing; the bench stops the runs itself. */
const STREAM_LINES = 60_000;
const STREAM_INTERVAL_S = 0.01;

/** Text the editor's find (Ctrl+F) goes to for streaming block `n` (1-based); it occurs once in the notebook. */
export function streamMarker(n: number): string {
  return `bench stream ${String(n).padStart(2, '0')} of ${STREAMING_BLOCKS}`;
}

/** The python3 program of streaming block `n`: a line every 10 ms, flushed, for about ten minutes. */
export function streamScript(n: number): string {
  return [
    `# ${streamMarker(n)}`,
    'import time',
    `for i in range(${STREAM_LINES}):`,
    `    print(f"stream ${n} line {i:6d}: 64 bytes from 192.0.2.${n}: icmp_seq={i} ttl=64 time=0.{i % 90:02d} ms", flush=True)`,
    `    time.sleep(${STREAM_INTERVAL_S})`,
  ].join('\n');
}

function intro(): string {
  const parts = ['# UI benchmark notebook\n\n', `${TYPING_ANCHOR}\n\n`, '## Streams\n\n', `${STREAMING_BLOCKS} blocks that print a line every 10 ms; the bench runs them all at once.\n\n`];
  for (let n = 1; n <= STREAMING_BLOCKS; n++) {
    parts.push(`\`\`\`python3 :timeout 30m\n${streamScript(n)}\n\`\`\`\n\n`);
    parts.push(`\`\`\`results :host local :at 2026-11-23T19:30:00Z :took 4.1s :exit 130 :status cancelled\nstream ${n} line      0: 64 bytes from 192.0.2.${n}: icmp_seq=0 ttl=64 time=0.00 ms\nmodus: cancelled\n\`\`\`\n\n`);
  }
  return parts.join('');
}

export interface NotebookFixture {
  /** The generated notebook (never opened itself: each page gets a copy, since runs write into it). */
  text: string;
  bytes: number;
  /** Code blocks in it: the streaming ones and the generated ones. */
  blocks: number;
  /** A fresh copy of the notebook in the fixture's directory, for one page. */
  copy(name: string): string;
  remove(): void;
}

export function writeNotebookFixture(): NotebookFixture {
  const dir = mkdtempSync(join(tmpdir(), 'modus-bench-ui-'));
  const text = generateNotebook(GENERATED_BLOCKS, 0, intro());
  const original = join(dir, 'original.md');
  writeFileSync(original, text);
  return {
    text,
    bytes: Buffer.byteLength(text),
    blocks: STREAMING_BLOCKS + GENERATED_BLOCKS,
    copy: (name) => {
      const path = join(dir, name);
      copyFileSync(original, path);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
