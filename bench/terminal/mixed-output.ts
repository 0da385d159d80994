// Seeded "mixed terminal output" for the throughput benchmark: what a busy
// network engineer's terminal sees (coloured logs, long wrapped lines,
// UTF-8 with CJK and emoji, progress-style cursor moves), generated once and
// cached. Two files are written side by side: the file `cat` reads (LF line
// ends) and the bytes the pty hands to the terminal for it (the tty's onlcr
// turns each LF into CR LF), which is what the in-page xterm baseline writes.

import { createWriteStream, existsSync, mkdirSync, renameSync, statSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../test/helpers/seeded-random.js';

/** Bump when the generator changes, so stale caches are not reused. */
const GENERATOR_VERSION = 1;
const FLUSH_BYTES = 1 << 20;


const WORDS = [
  'interface', 'ge-0/0/1', 'xe-1/2/0.100', 'bgp', 'neighbor', '192.0.2.1', '2001:db8::17', 'Established', 'Active',
  'route', 'prefix', 'inet.0', 'inet6.0', 'ospf', 'area', '0.0.0.0', 'mtu', '9192', 'up', 'down', 'flap', 'lldp',
  'ae0', 'vlan', '100', 'commit', 'confirmed', 'rollback', 'show', 'config', 'error', 'warning', 'ok', 'packets',
  'bytes', 'drops', 'crc', 'optics', '-3.2dBm', 'rx', 'tx', 'latency', 'ms', 'peer-as', '64512', 'holdtime', '90',
];
const UNICODE = [
  'ä', 'ö', 'ü', 'ß', 'é', 'ñ', 'ø', 'Ω', 'λ', 'π', 'Ж', 'щ', '─', '│', '┌', '┐', '└', '┘', '├', '█', '░', '▶', '✓', '✗',
  '中', '文', '日', '本', '語', '한', '국', '어', '漢', '字', '网', '络', '路', '由',
  '😀', '🚀', '🔥', '✅', '❌', '📡', '🌐', '⚡', '🧪', '👍',
];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

function int(rand: () => number, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

function sgr(rand: () => number): string {
  switch (int(rand, 0, 5)) {
    case 0: return `\x1b[${int(rand, 30, 37)}m`;
    case 1: return `\x1b[${int(rand, 90, 97)}m`;
    case 2: return `\x1b[38;5;${int(rand, 0, 255)}m`;
    case 3: return `\x1b[38;2;${int(rand, 0, 255)};${int(rand, 0, 255)};${int(rand, 0, 255)}m`;
    case 4: return `\x1b[1;${int(rand, 40, 47)}m`;
    default: return '\x1b[4m';
  }
}

function words(rand: () => number, columns: number, unicodeShare: number): string {
  let out = '';
  while (out.length < columns) {
    if (rand() < unicodeShare) {
      const n = int(rand, 1, 6);
      for (let i = 0; i < n; i++) out += pick(rand, UNICODE);
    } else {
      out += pick(rand, WORDS);
    }
    out += ' ';
  }
  return out;
}

/** One line of output, without its line end. */
export function mixedLine(rand: () => number, index: number): string {
  const kind = rand();
  if (kind < 0.3) {
    // A log line: timestamp, coloured level, text.
    const level = pick(rand, ['\x1b[32mINFO\x1b[0m', '\x1b[33mWARN\x1b[0m', '\x1b[1;31mERROR\x1b[0m', '\x1b[36mDEBUG\x1b[0m']);
    return `2026-11-23T19:${String(index % 60).padStart(2, '0')}:${String(int(rand, 0, 59)).padStart(2, '0')}Z ${level} ${words(rand, int(rand, 30, 110), 0.05)}`;
  }
  if (kind < 0.5) {
    // Densely coloured tokens (ls --color, diff, syntax highlighters).
    let out = '';
    const n = int(rand, 4, 16);
    for (let i = 0; i < n; i++) out += `${sgr(rand)}${pick(rand, WORDS)}\x1b[0m `;
    return out;
  }
  if (kind < 0.65) {
    // A long line that wraps several times.
    return words(rand, int(rand, 300, 2500), 0.03);
  }
  if (kind < 0.8) {
    // Wide and multi-byte text: CJK, emoji, box drawing.
    return words(rand, int(rand, 20, 80), 0.6);
  }
  if (kind < 0.9) {
    // A progress line: rewritten in place with CR, cursor moves and erase.
    const pct = int(rand, 0, 100);
    return `\x1b[1Gprogress ${pct}%\x1b[K\r\x1b[2Cdl\x1b[5C${'#'.repeat(pct >> 2)}\x1b[3D\x1b7\x1b[1A\x1b[1B\x1b8\x1b[0K ${pct}%`;
  }
  // A table row with plain ASCII.
  return `${String(index).padStart(8)} | ${pick(rand, WORDS).padEnd(14)} | ${pick(rand, WORDS).padEnd(14)} | ${int(rand, 0, 1e9)}`;
}

export interface MixedFile {
  /** What `cat` reads (LF line ends). */
  path: string;
  /** What xterm receives for it through a pty with onlcr (CR LF line ends). */
  ptyPath: string;
  bytes: number;
  ptyBytes: number;
}

function write(stream: WriteStream, text: string): Promise<void> | null {
  return stream.write(text) ? null : new Promise((resolve) => stream.once('drain', resolve));
}

function close(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(resolve);
  });
}

/** Generates (or reuses) about `megabytes` MB (10^6 bytes) of mixed output with the given seed. */
export async function ensureMixedFile(dir: string, megabytes: number, seed: number): Promise<MixedFile> {
  mkdirSync(dir, { recursive: true });
  const stem = join(dir, `mixed-v${GENERATOR_VERSION}-seed${seed}-${megabytes}MB`);
  const path = `${stem}.txt`;
  const ptyPath = `${stem}.pty`;
  if (existsSync(path) && existsSync(ptyPath)) return { path, ptyPath, bytes: statSync(path).size, ptyBytes: statSync(ptyPath).size };

  const target = Math.round(megabytes * 1e6);
  const rand = seededRandom(seed);
  const lf = createWriteStream(`${path}.partial`);
  const crlf = createWriteStream(`${ptyPath}.partial`);
  let written = 0;
  let blockBytes = 0;
  let lfBlock = '';
  let crlfBlock = '';
  for (let index = 0; written + blockBytes < target; index++) {
    const line = mixedLine(rand, index);
    lfBlock += `${line}\n`;
    crlfBlock += `${line}\r\n`;
    blockBytes += Buffer.byteLength(line) + 1;
    if (blockBytes >= FLUSH_BYTES) {
      written += blockBytes;
      await Promise.all([write(lf, lfBlock), write(crlf, crlfBlock)]);
      blockBytes = 0;
      lfBlock = '';
      crlfBlock = '';
    }
  }
  await Promise.all([write(lf, lfBlock), write(crlf, crlfBlock)]);
  // Leave the terminal in a plain state for whatever comes next.
  await Promise.all([write(lf, '\x1b[0m\n'), write(crlf, '\x1b[0m\r\n')]);
  await Promise.all([close(lf), close(crlf)]);
  renameSync(`${path}.partial`, path);
  renameSync(`${ptyPath}.partial`, ptyPath);
  return { path, ptyPath, bytes: statSync(path).size, ptyBytes: statSync(ptyPath).size };
}

/** Short coloured lines for filling scrollback: `lines` lines, none wider than 80 columns. */
export async function ensureScrollbackFile(dir: string, lines: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `scrollback-v${GENERATOR_VERSION}-${lines}lines.txt`);
  if (existsSync(path)) return path;
  const rand = seededRandom(lines);
  const out = createWriteStream(`${path}.partial`);
  for (let i = 1; i <= lines; i++) {
    const text = Array.from(words(rand, int(rand, 20, 50), 0.05)).slice(0, 50).join('');
    await write(out, `${String(i).padStart(6)} ${sgr(rand)}${text}\x1b[0m\n`);
  }
  await close(out);
  renameSync(`${path}.partial`, path);
  return path;
}
