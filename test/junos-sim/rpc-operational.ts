// Operational RPCs: <command> (the CLI text, format text or xml), the Junos
// RPCs the same commands map to (PyEZ calls get-software-information for its
// facts), and the session RPCs close-session and kill-session.

import type { Element } from '@xmldom/xmldom';
import { runCommand } from './op-commands.js';
import { showBgpNeighbor, showBgpSummary } from './op-bgp.js';
import { showInterfacesTerse } from './op-interfaces.js';
import { showRouteSummary } from './op-route.js';
import { showSystemUptime, showVersion } from './op-show-system.js';
import { firstChild, textOf } from './netconf-message.js';
import type { RpcContext, RpcHandler } from './rpc-context.js';
import { fail } from './rpc-error.js';
import { escapeText } from './xml-text.js';

function command(ctx: RpcContext, op: Element): string {
  const format = op.getAttribute('format') || 'xml';
  if (format !== 'text' && format !== 'ascii' && format !== 'xml') fail(`format "${format}" is not supported by the Junos simulator`, { type: 'protocol', tag: 'bad-attribute', badElement: format });
  const line = (op.textContent ?? '').trim();
  const { output, forceXml } = runCommand(ctx.op, line);
  if (format === 'xml' || forceXml) return output.xml;
  const text = `\n${escapeText(output.text)}\n`;
  return output.textWrapper === 'configuration-output' ? `<configuration-information>\n<configuration-output>${text}</configuration-output>\n</configuration-information>` : `<output>${text}</output>`;
}

function closeSession(ctx: RpcContext): string {
  ctx.endAfterReply();
  return '<ok/>';
}

function killSession(ctx: RpcContext, op: Element): string {
  const id = Number(textOf(firstChild(op, 'session-id'))?.trim());
  if (!Number.isInteger(id)) fail('kill-session needs a <session-id>', { type: 'protocol', tag: 'missing-element', badElement: 'session-id' });
  if (id === ctx.sessionId) fail('cannot kill the current session', { type: 'protocol', tag: 'invalid-value', badElement: 'session-id' });
  if (!ctx.killSession(id)) fail(`no session ${id}`, { type: 'protocol', tag: 'invalid-value', badElement: 'session-id' });
  return '<ok/>';
}

export const OPERATIONAL_RPCS: Record<string, RpcHandler> = {
  command,
  'close-session': closeSession,
  'kill-session': killSession,
  'get-software-information': (ctx) => showVersion(ctx.op).xml,
  'get-system-uptime-information': (ctx) => showSystemUptime(ctx.op).xml,
  'get-interface-information': (ctx, op) => showInterfacesTerse(ctx.op, textOf(firstChild(op, 'interface-name'))?.trim()).xml,
  'get-bgp-summary-information': (ctx) => showBgpSummary(ctx.op).xml,
  'get-bgp-neighbor-information': (ctx, op) => showBgpNeighbor(ctx.op, textOf(firstChild(op, 'neighbor-address'))?.trim()).xml,
  'get-route-summary-information': (ctx) => showRouteSummary(ctx.op).xml,
};
