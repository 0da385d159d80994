// Serves the built renderer (dist/renderer) read-only: GET/HEAD of files
// inside that directory, nothing outside it, correct types, no listings.

import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { mimeTypeFor as mimeType } from '../mime-types.js';
import type { ServerResponse } from 'node:http';

export { mimeType };

export type Resolved = { ok: true; path: string; size: number } | { ok: false; status: 400 | 404; reason: string };

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}

/** Maps a URL path to a file under `root`, or says why not. `root` must be absolute and real. */
export async function resolveStatic(root: string, urlPath: string): Promise<Resolved> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, status: 400, reason: 'malformed percent-encoding' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { ok: false, status: 404, reason: 'not a file path' };
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const candidate = resolve(root, relative);
  if (!inside(root, candidate)) return { ok: false, status: 404, reason: 'outside the renderer directory' };
  try {
    // realpath as well: a symlink inside must not lead outside.
    const real = await realpath(candidate);
    if (!inside(root, real)) return { ok: false, status: 404, reason: 'outside the renderer directory' };
    const info = await stat(real);
    if (!info.isFile()) return { ok: false, status: 404, reason: 'not a file' };
    return { ok: true, path: real, size: info.size };
  } catch {
    return { ok: false, status: 404, reason: 'no such file' };
  }
}

export function sendFile(res: ServerResponse, path: string, size: number, headOnly: boolean, headers: Record<string, string>): void {
  res.writeHead(200, { ...headers, 'Content-Type': mimeType(path), 'Content-Length': String(size) });
  if (headOnly) {
    res.end();
    return;
  }
  const stream = createReadStream(path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
