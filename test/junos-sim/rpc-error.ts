// `<rpc-error>` as Junos writes it: type, tag, severity, `[edit …]` path,
// message, and the offending word in `<error-info><bad-element>`. Junos
// wraps multi-line messages in newlines (`<error-message>\nconfiguration
// database locked by:\n…\n</error-message>`), so clients must trim; the
// simulator does the same.

import type { ConfigError } from './config-parse.js';
import { editPath } from './config-path.js';
import { escapeText } from './xml-text.js';

export interface RpcErrorSpec {
  severity?: 'error' | 'warning';
  type?: 'protocol' | 'application' | 'rpc' | 'transport';
  tag?: string;
  /** `[edit …]`. */
  path?: string;
  message: string;
  badElement?: string;
}

/** Thrown by an RPC handler: the reply is these errors, inside `wrapper` when given (`load-configuration-results`). */
export class RpcFailure extends Error {
  constructor(
    readonly errors: RpcErrorSpec[],
    readonly wrapper?: { name: string; trailer?: string },
  ) {
    super(errors.map((e) => e.message).join('; '));
  }
}

export function fail(message: string, more: Omit<RpcErrorSpec, 'message'> = {}): never {
  throw new RpcFailure([{ message, ...more }]);
}

export function rpcErrorXml(e: RpcErrorSpec): string {
  const message = e.message.includes('\n') ? `\n${e.message}\n` : e.message;
  return [
    '<rpc-error>',
    `<error-type>${e.type ?? 'protocol'}</error-type>`,
    `<error-tag>${e.tag ?? 'operation-failed'}</error-tag>`,
    `<error-severity>${e.severity ?? 'error'}</error-severity>`,
    ...(e.path ? [`<error-path>${escapeText(e.path)}</error-path>`] : []),
    `<error-message>${escapeText(message)}</error-message>`,
    ...(e.badElement !== undefined ? ['<error-info>', `<bad-element>${escapeText(e.badElement)}</bad-element>`, '</error-info>'] : []),
    '</rpc-error>',
  ].join('\n');
}

export function fromConfigError(e: ConfigError): RpcErrorSpec {
  return {
    severity: e.severity,
    type: e.severity === 'warning' ? 'application' : 'protocol',
    tag: e.severity === 'warning' ? 'invalid-value' : 'operation-failed',
    path: editPath(e.path),
    message: e.message,
    badElement: e.badElement,
  };
}
