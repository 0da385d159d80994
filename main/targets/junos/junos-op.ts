// Operational commands: one `<command>` RPC per line, each shown under the
// command as the CLI prints it (`root@edge1> show version`). The first
// command the device refuses ends the block (later lines may depend on it,
// and a `request` after a failed one is not what anyone meant); warnings are
// shown and the block goes on.

import type { NetconfSession } from './netconf-session.js';
import { commandRpc, type OutputFormat } from './junos-rpcs.js';
import { commandText, commandXml, failures, textualError } from './junos-replies.js';
import { formatRpcError, summarizeRpcErrors, warningsOnly } from './rpc-error.js';
import type { Transcript } from './transcript.js';

export interface OpResult {
  ok: boolean;
  /** Why it failed: the command and what the device said. */
  message?: string;
  /** Every reply as received, in order (for XPath expectations). */
  replies: string[];
}

export async function runOpCommands(
  session: NetconfSession,
  commands: readonly string[],
  format: OutputFormat,
  prompt: string,
  out: Transcript,
  signal: AbortSignal,
): Promise<OpResult> {
  const replies: string[] = [];
  for (let i = 0; i < commands.length; i++) {
    const command = commands[i]!;
    await out.write(`${i > 0 ? '\n' : ''}${prompt}> ${command}\n`);
    const reply = await session.rpc(commandRpc(command, format), signal);
    replies.push(reply.text);
    const shown = format === 'xml' ? commandXml(reply) : commandText(reply);
    await out.write(shown);
    for (const w of warningsOnly(reply.errors)) await out.write(`${formatRpcError(w)}\n`);
    const errors = failures(reply);
    if (errors.length > 0) {
      for (const e of errors) await out.write(`${formatRpcError(e)}\n`);
      return { ok: false, message: `${JSON.stringify(command)} failed: ${summarizeRpcErrors(errors)}`, replies };
    }
    const bare = format === 'text' ? textualError(shown) : null;
    if (bare !== null) return { ok: false, message: `${JSON.stringify(command)} failed: ${bare}`, replies };
  }
  return { ok: true, replies };
}
