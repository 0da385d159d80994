// Journal lines as Modus wrote them before output blobs: the output inline
// in the line as a JSON string (text) or base64 (anything else), however big.
// Built piece by piece, so a test can make a line of hundreds of megabytes.

import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export const ZERO = '0'.repeat(64);

/** The JSON string body (without quotes) of output bytes, as the old writer stored it. */
export function legacyBody(output: Buffer, encoding: 'utf8' | 'base64'): string {
  return encoding === 'base64' ? output.toString('base64') : JSON.stringify(output.toString('utf8')).slice(1, -1);
}

export interface LegacyRecord {
  seq: number;
  prev: string;
  outputBytes: number;
  encoding: 'utf8' | 'base64';
  /** Pieces of the JSON string body, concatenated in order (each may repeat). */
  body: { text: string; times: number }[];
}

/** Appends one old-style line to `path`; returns the sha256 of the line (the next record's prev). */
export async function appendLegacyLine(path: string, r: LegacyRecord): Promise<string> {
  const head = {
    v: 1, seq: r.seq, prev: r.prev, notebook: 'nb.md', block: r.seq - 1, name: null, lang: 'sh', user: 'alice', host: 'local',
    start: '2026-01-01T10:00:00.000Z', end: '2026-01-01T10:00:01.000Z', tookMs: 1000, command: 'yes', exitCode: 0, status: 'pass',
    expectations: [], outputBytes: r.outputBytes, outputEncoding: r.encoding,
  };
  const self = createHash('sha256');
  const line = createHash('sha256');
  const file = await open(path, 'a');
  try {
    const put = async (text: string, hashed: boolean): Promise<void> => {
      const bytes = Buffer.from(text, 'utf8');
      if (hashed) self.update(bytes);
      line.update(bytes);
      await file.write(bytes);
    };
    await put(`${JSON.stringify(head).slice(0, -1)},"output":"`, true);
    for (const { text, times } of r.body) {
      const piece = text.repeat(Math.max(1, Math.floor((1 << 20) / Math.max(1, text.length))));
      const per = piece.length / Math.max(1, text.length);
      let left = times;
      while (left >= per) {
        await put(piece, true);
        left -= per;
      }
      if (left > 0) await put(text.repeat(left), true);
    }
    await put('"', true);
    await put(`,"hash":"${self.digest('hex')}"}`, false);
    await file.write(Buffer.from('\n'));
  } finally {
    await file.close();
  }
  return line.digest('hex');
}
