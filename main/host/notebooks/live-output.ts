// Live output of running blocks, per renderer connection: one stream per
// block × host, its bytes sent as they come (nb.output, a binary frame over
// the WebSocket). A run never waits for the page: when the renderer has not
// acknowledged LIVE_WINDOW bytes of a stream, further bytes are not sent
// (they are counted, and the full output is in the journal), and once it
// catches up a line says how many were left out.

import type { HostMessage } from '../../protocol.js';

export const LIVE_WINDOW = 2 * 1024 * 1024;

interface Stream {
  sent: number;
  acked: number;
  /** Bytes not sent since the last notice, and in all. */
  gap: number;
  dropped: number;
}

export class LiveOutput {
  private readonly streams = new Map<number, Stream>();
  private nextId = 1;

  constructor(private readonly send: (msg: HostMessage) => void) {}

  open(doc: number, run: number, block: number, host: string): number {
    const stream = this.nextId++;
    this.streams.set(stream, { sent: 0, acked: 0, gap: 0, dropped: 0 });
    this.send({ type: 'nb.stream', doc, stream, run, block, host });
    return stream;
  }

  write(stream: number, bytes: Uint8Array): void {
    const s = this.streams.get(stream);
    if (!s || bytes.byteLength === 0) return;
    if (s.sent - s.acked >= LIVE_WINDOW) {
      s.gap += bytes.byteLength;
      s.dropped += bytes.byteLength;
      return;
    }
    if (s.gap > 0) this.notice(stream, s);
    s.sent += bytes.byteLength;
    // A copy: the engine may reuse its buffer, and the message outlives this call.
    this.send({ type: 'nb.output', stream, data: Uint8Array.from(bytes) });
  }

  ack(stream: number, bytes: number): void {
    const s = this.streams.get(stream);
    if (s) s.acked = Math.min(s.sent, s.acked + bytes);
  }

  end(stream: number, status: string): void {
    const s = this.streams.get(stream);
    if (!s) return;
    if (s.gap > 0) this.notice(stream, s);
    this.streams.delete(stream);
    this.send({ type: 'nb.stream.end', stream, status, dropped: s.dropped });
  }

  private notice(stream: number, s: Stream): void {
    const line = new TextEncoder().encode(`\r\n\x1b[2m[modus: ${s.gap} bytes not shown here while this view caught up; the journal has every byte]\x1b[0m\r\n`);
    s.gap = 0;
    s.sent += line.byteLength;
    this.send({ type: 'nb.output', stream, data: line });
  }
}
