// An in-memory NETCONF server for protocol-level unit tests: it speaks the
// framing (end-of-message, or chunked after a base:1.1 hello), answers each
// RPC with whatever the test's `answer` returns, and records what it
// received. Bytes go both ways on later turns of the event loop, as over a
// pipe, never within the call that sent them. Not a Junos simulator: the
// integration tests use the real one (test/junos-sim) over a real sshd.

import { ChunkedDecoder, EomDecoder, encodeMessage, type Framing, type MessageDecoder } from '../../main/targets/junos/framing.js';
import type { NetconfChannel } from '../../main/targets/junos/netconf-session.js';
import { childElements, parseXml, type Element } from '../../main/targets/junos/xml.js';

export const NC = 'urn:ietf:params:xml:ns:netconf:base:1.0';
const JUNOS_NS = 'http://xml.juniper.net/junos/23.4R1/junos';

export function junosHello(options: { base11?: boolean; sessionId?: string } = {}): string {
  const caps = [
    'urn:ietf:params:netconf:base:1.0',
    ...(options.base11 ? ['urn:ietf:params:netconf:base:1.1'] : []),
    'urn:ietf:params:netconf:capability:candidate:1.0',
    'urn:ietf:params:netconf:capability:confirmed-commit:1.0',
    'http://xml.juniper.net/netconf/junos/1.0',
  ];
  return `<!-- No zombies were killed during the creation of this user interface -->\n<!-- user root, class super-user -->\n<hello xmlns="${NC}">\n  <capabilities>\n${caps.map((c) => `    <capability>${c}</capability>`).join('\n')}\n  </capabilities>\n  <session-id>${options.sessionId ?? '4242'}</session-id>\n</hello>\n`;
}

/** What `answer` may return: the reply's content (wrapped in `<rpc-reply>` with the message id), a whole raw message, or silence. */
export type Answer = string | { raw: string } | { silence: true } | { hangUp: string };

export interface ReceivedRpc {
  /** Local name of the operation (`lock-configuration`, `command`…). */
  name: string;
  op: Element;
  /** The whole message as received. */
  text: string;
}

export interface PeerOptions {
  hello?: string;
  /** Offer base:1.1 (chunked framing once both have it). */
  base11?: boolean;
  answer(rpc: ReceivedRpc, peer: ScriptedPeer): Answer | Promise<Answer>;
  /** Splits every message the peer sends into pieces of this many bytes (delimiters and characters straddle reads). */
  pieceBytes?: number;
}

export class ScriptedPeer {
  readonly received: ReceivedRpc[] = [];
  /** Every write the client made, as bytes (one per message when the client writes atomically). */
  readonly writes: Buffer[] = [];
  destroyed = false;
  private handlers: { data(b: Buffer): void; end(r: string | null): void } | null = null;
  private decoder: MessageDecoder = new EomDecoder();
  private framing: Framing = 'eom';
  private helloSeen = false;
  private ended = false;
  readonly channel: NetconfChannel;

  constructor(private readonly options: PeerOptions) {
    this.channel = {
      send: (bytes) => {
        this.writes.push(Buffer.from(bytes));
        setImmediate(() => this.receive(bytes));
      },
      listen: (h) => {
        this.handlers = h;
        setImmediate(() => this.sendMessage(options.hello ?? junosHello({ base11: options.base11 ?? false }), 'eom'));
      },
      destroy: () => {
        this.destroyed = true;
        this.end('the client ended the channel');
      },
    };
  }

  /** The peer hangs up (as a dropped connection): the client sees the channel end with `reason`. */
  end(reason: string | null): void {
    if (this.ended) return;
    this.ended = true;
    setImmediate(() => this.handlers?.end(reason));
  }

  /** Sends raw bytes to the client. */
  sendBytes(bytes: Buffer): void {
    if (this.ended) return;
    const piece = this.options.pieceBytes ?? bytes.length;
    for (let i = 0; i < bytes.length; i += Math.max(1, piece)) {
      const part = bytes.subarray(i, i + Math.max(1, piece));
      setImmediate(() => {
        if (!this.ended) this.handlers?.data(Buffer.from(part));
      });
    }
  }

  sendMessage(xml: string, framing: Framing = this.framing): void {
    this.sendBytes(encodeMessage(xml, framing));
  }

  names(): string[] {
    return this.received.map((r) => r.name);
  }

  private receive(bytes: Buffer): void {
    if (this.ended) return;
    this.decoder.push(bytes);
    for (let m = this.decoder.next(); m !== null; m = this.decoder.next()) {
      if (!this.helloSeen) {
        this.helloSeen = true;
        const clientOffers11 = m.includes('urn:ietf:params:netconf:base:1.1');
        if (clientOffers11 && this.options.base11) {
          const rest = (this.decoder as EomDecoder).takeRest();
          this.decoder = new ChunkedDecoder();
          this.framing = 'chunked';
          if (rest.length > 0) this.decoder.push(rest);
        }
        continue;
      }
      void this.onRpc(m);
    }
  }

  private async onRpc(text: string): Promise<void> {
    const rpc = parseXml(text.trimStart()).documentElement!;
    const op = childElements(rpc)[0]!;
    const received: ReceivedRpc = { name: op.localName ?? op.nodeName, op, text };
    this.received.push(received);
    const id = rpc.getAttribute('message-id') ?? '';
    const answer = await this.options.answer(received, this);
    if (typeof answer === 'string') {
      this.sendMessage(`<rpc-reply xmlns="${NC}" xmlns:junos="${JUNOS_NS}" message-id="${id}">\n${answer}\n</rpc-reply>\n`);
    } else if ('raw' in answer) {
      this.sendMessage(answer.raw);
    } else if ('hangUp' in answer) {
      this.end(answer.hangUp);
    }
  }
}

/** An `<rpc-error>` as Junos writes one. */
export function rpcError(o: { message: string; severity?: 'error' | 'warning'; path?: string; bad?: string; tag?: string; type?: string }): string {
  return [
    '<rpc-error>',
    `<error-type>${o.type ?? 'protocol'}</error-type>`,
    `<error-tag>${o.tag ?? 'operation-failed'}</error-tag>`,
    `<error-severity>${o.severity ?? 'error'}</error-severity>`,
    ...(o.path ? [`<error-path>${o.path}</error-path>`] : []),
    ...(o.bad ? [`<error-info><bad-element>${escapeText(o.bad)}</bad-element></error-info>`] : []),
    `<error-message>\n${escapeText(o.message)}\n</error-message>`,
    '</rpc-error>',
  ].join('\n');
}

export function escapeText(t: string): string {
  return t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
