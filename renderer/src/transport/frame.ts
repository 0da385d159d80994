// The binary WebSocket frame for term.data: [u8 kind=1][u32 LE id][bytes].
// Pure; the constants are checked against the protocol's TERM_DATA_FRAME type.

import type { TERM_DATA_FRAME } from '../../../main/protocol.js';

type FrameLayout = typeof TERM_DATA_FRAME;
/** Must equal the protocol's values; a change there fails type-checking here. */
export const FRAME: FrameLayout = { kind: 1, headerBytes: 5 };

/** Decodes one binary frame; null when it is not a term.data frame (wrong kind or too short). */
export function decodeTermData(buffer: ArrayBuffer): { id: number; data: Uint8Array } | null {
  if (buffer.byteLength < FRAME.headerBytes) return null;
  const view = new DataView(buffer);
  if (view.getUint8(0) !== FRAME.kind) return null;
  return { id: view.getUint32(1, true), data: new Uint8Array(buffer, FRAME.headerBytes) };
}
