// One NETCONF session with a simulated device: the Junos hello first, then
// framed RPCs answered one at a time in order, with `message-id` (and the
// other <rpc> attributes) echoed and `xmlns:junos` on every reply. Faults
// (slow, drop-after, malformed-reply) act here. When the session ends, for
// whatever reason, its lock and private candidate go (device-state.ts).

import { junosDate } from './clock.js';
import type { Owner } from './device-state.js';
import { frame, FrameDecoder, FramingError, type Framing } from './framing.js';
import { JUNOS_NS } from './junos-release.js';
import { parseMessage } from './netconf-message.js';
import { COMMIT_RPCS } from './rpc-commit.js';
import { CONFIG_RPCS } from './rpc-config.js';
import type { RpcContext, RpcHandler } from './rpc-context.js';
import { rpcErrorXml, RpcFailure, type RpcErrorSpec } from './rpc-error.js';
import { OPERATIONAL_RPCS } from './rpc-operational.js';
import type { SimDeviceRuntime } from './sim-device.js';
import { escapeAttribute } from './xml-text.js';

export const BASE_NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const BASE_10 = 'urn:ietf:params:netconf:base:1.0';
const BASE_11 = 'urn:ietf:params:netconf:base:1.1';

const HANDLERS: Record<string, RpcHandler> = { ...CONFIG_RPCS, ...COMMIT_RPCS, ...OPERATIONAL_RPCS };

/** Standard operations Junos has that the simulator does not. */
const NOT_SIMULATED = new Set(['edit-config', 'copy-config', 'delete-config', 'get', 'get-schema', 'create-subscription']);

export function serverCapabilities(base11: boolean): string[] {
  return [
    BASE_10,
    ...(base11 ? [BASE_11] : []),
    'urn:ietf:params:netconf:capability:candidate:1.0',
    'urn:ietf:params:netconf:capability:confirmed-commit:1.0',
    'urn:ietf:params:netconf:capability:validate:1.0',
    'urn:ietf:params:netconf:capability:url:1.0?scheme=http,ftp,file',
    'urn:ietf:params:xml:ns:netconf:base:1.0',
    'urn:ietf:params:xml:ns:netconf:capability:candidate:1.0',
    'urn:ietf:params:xml:ns:netconf:capability:confirmed-commit:1.0',
    'urn:ietf:params:xml:ns:netconf:capability:validate:1.0',
    'urn:ietf:params:xml:ns:netconf:capability:url:1.0?scheme=http,ftp,file',
    'urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring',
    'http://xml.juniper.net/netconf/junos/1.0',
    'http://xml.juniper.net/dmi/system/1.0',
  ];
}

export interface SessionIo {
  write(bytes: Buffer): void;
  /** Ends the transport; the session's end() follows when it has closed. */
  close(): void;
}

export interface TranscriptEntry {
  rpc: string;
  reply: string;
  session: number;
  user: string;
  /** The connection was dropped instead of answering (drop-after fault). */
  dropped?: boolean;
}

const realDelay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class NetconfSession {
  readonly owner: Owner;
  readonly #decoder = new FrameDecoder();
  #framing: Framing = 'eom';
  #helloDone = false;
  #answered = 0;
  #queue: Promise<void> = Promise.resolve();
  #closing = false;
  #ended = false;

  constructor(
    readonly device: SimDeviceRuntime,
    readonly id: number,
    user: string,
    private readonly io: SessionIo,
    private readonly base11: boolean,
  ) {
    this.owner = { id: `netconf:${id}`, user, client: 'netconf', pid: id, since: device.state.clock.now() };
  }

  /** Sends the hello; Junos speaks first. */
  start(): void {
    const hello = [
      '<!-- No zombies were killed during the creation of this user interface -->',
      `<!-- user ${this.owner.user}, class super-user -->`,
      `<hello xmlns="${BASE_NS}">`,
      '  <capabilities>',
      ...serverCapabilities(this.base11).map((c) => `    <capability>${c.replace(/&/g, '&amp;')}</capability>`),
      '  </capabilities>',
      `  <session-id>${this.id}</session-id>`,
      '</hello>',
    ].join('\n');
    this.io.write(frame(hello, 'eom'));
  }

  receive(bytes: Buffer): void {
    if (this.#closing) return;
    this.#decoder.push(bytes);
    for (;;) {
      let message: string | null;
      try {
        message = this.#decoder.next();
      } catch (err) {
        if (!(err instanceof FramingError)) throw err;
        this.#close();
        return;
      }
      if (message === null) return;
      if (message === '') continue;
      if (!this.#helloDone) {
        this.#hello(message);
        if (this.#closing) return;
        if (this.#helloDone) continue;
        // No hello: Junos is lenient; take the message as an RPC in base:1.0.
        this.#helloDone = true;
      }
      this.#queue = this.#queue.then(() => this.#answer(message));
    }
  }

  #hello(text: string): void {
    const parsed = parseMessage(text);
    if (parsed.kind === 'malformed') {
      this.#close();
      return;
    }
    if (parsed.kind !== 'hello') return;
    this.#helloDone = true;
    if (this.base11 && parsed.capabilities.includes(BASE_11)) {
      this.#framing = 'chunked';
      this.#decoder.setMode('chunked');
    }
  }

  async #answer(text: string): Promise<void> {
    if (this.#closing) return;
    const drop = this.device.activeFault('drop-after');
    if (drop && this.#answered >= drop.rpcs) {
      this.device.record({ rpc: text, reply: '', session: this.id, user: this.owner.user, dropped: true });
      this.#close();
      return;
    }
    this.#answered += 1;
    let endAfter = false;
    const parsed = parseMessage(text);
    let attributes = '';
    let inner: string;
    if (parsed.kind === 'rpc') {
      attributes = parsed.attributes.map((a) => ` ${a.name}="${escapeAttribute(a.value)}"`).join('');
      const ctx: RpcContext = {
        state: this.device.state,
        op: this.device.opContext(),
        owner: this.owner,
        sessionId: this.id,
        endAfterReply: () => (endAfter = true),
        killSession: (id) => this.device.killSession(id),
      };
      inner = this.#dispatch(ctx, parsed.operation);
    } else if (parsed.kind === 'malformed') {
      inner = rpcErrorXml({ type: 'rpc', tag: 'malformed-message', message: `malformed XML: ${parsed.error}` });
    } else {
      const name = parsed.kind === 'hello' ? 'hello' : parsed.name;
      inner = rpcErrorXml({ type: 'rpc', tag: 'unknown-element', message: `expected <rpc>, got <${name}>`, badElement: name });
    }
    let reply = `<rpc-reply xmlns="${BASE_NS}" xmlns:junos="${JUNOS_NS}"${attributes}>\n${inner ? `${inner}\n` : ''}</rpc-reply>`;
    const slow = this.device.activeFault('slow');
    if (slow) await realDelay(slow.msPerRpc);
    if (this.device.takeFault('malformed-reply')) reply = `${reply.slice(0, Math.floor(reply.length / 2))}<unclosed attr="`;
    this.device.record({ rpc: text, reply, session: this.id, user: this.owner.user });
    if (this.#closing) return;
    this.io.write(frame(reply, this.#framing));
    if (endAfter) {
      if (this.#framing === 'eom') this.io.write(Buffer.from(`<!-- session end at ${junosDate(this.device.state.clock.now())} -->\n`));
      this.#close();
    }
  }

  #dispatch(ctx: RpcContext, operation: Parameters<RpcHandler>[1] | null): string {
    if (!operation) return rpcErrorXml({ tag: 'missing-element', message: 'syntax error, expecting an operation inside <rpc>', badElement: 'rpc' });
    const name = operation.localName ?? '';
    const handler = HANDLERS[name];
    if (!handler) {
      if (NOT_SIMULATED.has(name)) return rpcErrorXml({ tag: 'operation-not-supported', message: `<${name}> is not supported by the Junos simulator`, badElement: name });
      return rpcErrorXml({ message: 'syntax error', badElement: name });
    }
    try {
      return handler(ctx, operation);
    } catch (err) {
      if (err instanceof RpcFailure) return failureXml(err);
      const message = err instanceof Error ? err.message : String(err);
      return rpcErrorXml({ tag: 'operation-failed', message: `internal error in the Junos simulator: ${message}` });
    }
  }

  #close(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.io.close();
  }

  /** Ends the session from outside (kill-session, simulator stop). */
  kill(): void {
    this.#close();
    // Locks are released now, not when the transport gets round to closing (RFC 6241 kill-session).
    this.end();
  }

  /** The transport has closed: release what the session held. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#closing = true;
    this.device.sessionEnded(this);
  }
}

function failureXml(f: RpcFailure): string {
  const errors = f.errors.map((e: RpcErrorSpec) => rpcErrorXml(e));
  if (!f.wrapper) return errors.join('\n');
  return [`<${f.wrapper.name}>`, ...errors, ...(f.wrapper.trailer ? [f.wrapper.trailer] : []), `</${f.wrapper.name}>`].join('\n');
}
