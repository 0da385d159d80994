// The binary WebSocket frames: [u8 kind][u32 LE id][bytes], kind 1 for
// term.data (a terminal's pty bytes), kind 2 for nb.output (a running
// block's live bytes, the id being its stream). Pure; the layouts are
// checked against the protocol's types.

import type { HostMessage, NB_OUTPUT_FRAME, TERM_DATA_FRAME } from '../../../main/protocol.js';

/** Must equal the protocol's values; a change there fails type-checking here. */
export const FRAME: typeof TERM_DATA_FRAME = { kind: 1, headerBytes: 5 };
const OUTPUT_FRAME: typeof NB_OUTPUT_FRAME = { kind: 2, headerBytes: 5 };

/** Decodes one binary frame into its message; null when it is neither kind or too short. */
export function decodeBinaryFrame(buffer: ArrayBuffer): Extract<HostMessage, { type: 'term.data' | 'nb.output' }> | null {
  if (buffer.byteLength < FRAME.headerBytes) return null;
  const view = new DataView(buffer);
  const kind = view.getUint8(0);
  const id = view.getUint32(1, true);
  if (kind === FRAME.kind) return { type: 'term.data', id, data: new Uint8Array(buffer, FRAME.headerBytes) };
  if (kind === OUTPUT_FRAME.kind) return { type: 'nb.output', stream: id, data: new Uint8Array(buffer, OUTPUT_FRAME.headerBytes) };
  return null;
}

/** Decodes a term.data frame; null for any other frame. */
export function decodeTermData(buffer: ArrayBuffer): { id: number; data: Uint8Array } | null {
  const msg = decodeBinaryFrame(buffer);
  return msg?.type === 'term.data' ? { id: msg.id, data: msg.data } : null;
}
