// One NETCONF session over a byte channel (an ssh client running the
// `netconf` subsystem, or a scripted peer in tests): the hello exchange,
// framing (end-of-message, chunked once both sides said base:1.1), message
// ids, replies parsed with a real XML parser (saxes, into a small tree:
// reply-tree.ts; a DOM only where one is needed).
//
// RPCs go one at a time: Junos answers them in order anyway, and a reply
// that never comes then blocks only what follows it on the same device.
// NETCONF cannot cancel an RPC, so a stopped RPC (timeout, cancel) ends the
// session: its reply would otherwise be taken for the next one's. When the
// session ends, Junos releases the configuration lock it held and discards
// the uncommitted changes of an exclusive or private candidate.

import { ChunkedDecoder, EomDecoder, FramingError, encodeMessage, type Framing, type MessageDecoder } from './framing.js';
import { BASE_11, clientHello, HelloError, parseServerHello } from './hello.js';
import { closeSessionRpc } from './junos-rpcs.js';
import { rpcErrorsIn, type RpcError } from './rpc-error.js';
import { readReply, type ReplyElement } from './reply-tree.js';
import { NETCONF_NS, XmlError } from './xml.js';

/** The bytes under a session: an ssh client's stdio, or a test's peer. */
export interface NetconfChannel {
  /** Sends bytes: one call per message. */
  send(bytes: Buffer): void;
  /** Bytes as they arrive; `end` once when the channel is gone, with why (ssh's own words) when known. */
  listen(handlers: { data(bytes: Buffer): void; end(reason: string | null): void }): void;
  /** Ends the channel at once; `end` follows. */
  destroy(): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface RpcReply {
  /** The `<rpc-reply>` element. */
  root: ReplyElement;
  /** The message as received (for `:format xml` and the journal). */
  text: string;
  /** Every rpc-error in the reply (warnings too), in order. */
  errors: RpcError[];
}

/** The session is gone: the channel ended, or it was closed or stopped. */
export class NetconfClosedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetconfClosedError';
  }
}

/** The device said something that is not NETCONF: a reply that is not well-formed XML, or broken framing. */
export class NetconfProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetconfProtocolError';
  }
}

/** An RPC stopped by its signal (the session was ended with it). */
export class NetconfAbortedError extends Error {
  constructor() {
    super('stopped');
    this.name = 'NetconfAbortedError';
  }
}

export interface SessionOptions {
  /** The device as messages name it. */
  label: string;
  timers?: Timers;
}

interface InFlight {
  id: string;
  resolve(r: RpcReply): void;
  reject(e: Error): void;
}

export class NetconfSession {
  private decoder: MessageDecoder = new EomDecoder();
  private framing: Framing = 'eom';
  private nextId = 1;
  private inFlight: InFlight | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** RPCs asked for and not yet settled (in flight or queued). */
  private waiting = 0;
  private endReason: string | null = null;
  private gone = false;
  private readonly endWaiters: (() => void)[] = [];
  private helloWaiter: { resolve(text: string): void; reject(e: Error): void } | null = null;
  private readonly timers: Timers;
  capabilities: string[] = [];
  sessionId: string | null = null;

  private constructor(
    private readonly channel: NetconfChannel,
    private readonly options: SessionOptions,
  ) {
    this.timers = options.timers ?? realTimers;
  }

  /** Sends the client hello, reads the device's, and settles the framing. Rejects with why the session could not start. */
  static async open(channel: NetconfChannel, options: SessionOptions, signal?: AbortSignal): Promise<NetconfSession> {
    const s = new NetconfSession(channel, options);
    const helloText = new Promise<string>((resolve, reject) => (s.helloWaiter = { resolve, reject }));
    channel.listen({ data: (b) => s.onData(b), end: (r) => s.onEnd(r) });
    channel.send(encodeMessage(clientHello(), 'eom'));
    const onAbort = (): void => s.destroy();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) s.destroy();
    try {
      const hello = parseServerHello(await helloText);
      if (signal?.aborted) throw new NetconfAbortedError();
      s.capabilities = hello.capabilities;
      s.sessionId = hello.sessionId;
      if (hello.capabilities.includes(BASE_11)) s.switchToChunked();
      else s.onData(Buffer.alloc(0)); // anything that came after the hello
      return s;
    } catch (e) {
      s.destroy();
      if (signal?.aborted) throw new NetconfAbortedError();
      if (e instanceof HelloError) throw new NetconfProtocolError(`${options.label} is not speaking NETCONF: ${e.message}`);
      throw e;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  get alive(): boolean {
    return !this.gone;
  }

  get framingInUse(): Framing {
    return this.framing;
  }

  /** Why the session ended (ssh's words), once it has. */
  get endedBecause(): string | null {
    return this.endReason;
  }

  /**
   * Sends one RPC (`body` is the operation element, serialised) and resolves
   * with the reply, rpc-errors included (they are the caller's to judge).
   * Rejects when the session ends first (NetconfClosedError), when the reply
   * is not NETCONF (NetconfProtocolError), or when `signal` stops it
   * (NetconfAbortedError: the session is ended with it).
   */
  rpc(body: string, signal?: AbortSignal): Promise<RpcReply> {
    // Sent at once when nothing is in flight or queued (one RPC after another, the usual case), else behind the others.
    const send = (): Promise<RpcReply> => this.send(body, signal);
    const next = this.waiting === 0 ? send() : this.queue.then(send, send);
    this.waiting++;
    const settled = (): void => void this.waiting--;
    this.queue = next.then(settled, settled);
    return next;
  }

  /**
   * Writes one RPC and settles with its reply. No async function and no
   * await here: a reply reaches the caller in one promise hop.
   */
  private send(body: string, signal?: AbortSignal): Promise<RpcReply> {
    if (signal?.aborted) return Promise.reject(new NetconfAbortedError());
    if (this.gone) return Promise.reject(this.closedError());
    const id = String(this.nextId++);
    return new Promise<RpcReply>((resolve, reject) => {
      const onAbort = (): void => {
        // NETCONF cannot cancel an RPC: its reply would be taken for the next one's. The session ends.
        this.inFlight?.reject(new NetconfAbortedError());
        this.inFlight = null;
        this.destroy();
      };
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      // Whoever settles it (a reply, a failure, the end) sets inFlight to null first.
      this.inFlight = {
        id,
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        this.channel.send(encodeMessage(`<rpc message-id="${id}" xmlns="${NETCONF_NS}">${body}</rpc>`, this.framing));
      } catch (e) {
        this.inFlight = null;
        done();
        reject(e as Error);
      }
    });
  }

  /**
   * Ends the session politely: `<close-session/>` when nothing is in flight,
   * waiting at most `graceMs` for its answer, then the channel is ended.
   * With an RPC in flight the channel is ended at once (the device would
   * answer the close only after it).
   */
  async close(graceMs: number): Promise<void> {
    if (this.gone) return;
    if (this.inFlight) {
      this.destroy();
      return;
    }
    let timer: unknown;
    const grace = new Promise<void>((resolve) => (timer = this.timers.setTimeout(resolve, graceMs)));
    try {
      await Promise.race([this.rpc(closeSessionRpc()).catch(() => undefined), grace, this.ended()]);
    } finally {
      this.timers.clearTimeout(timer);
      this.destroy();
    }
  }

  /** Ends the channel now. */
  destroy(): void {
    if (this.gone) return;
    this.channel.destroy();
    // The channel's end may come later (a process exiting); the session is over now.
    this.onEnd(this.endReason);
  }

  /** Resolves once the session is over. */
  ended(): Promise<void> {
    if (this.gone) return Promise.resolve();
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  private switchToChunked(): void {
    const rest = (this.decoder as EomDecoder).takeRest();
    this.decoder = new ChunkedDecoder();
    this.framing = 'chunked';
    if (rest.length > 0) this.onData(rest);
  }

  private onData(bytes: Buffer): void {
    if (this.gone) return;
    try {
      this.decoder.push(bytes);
      for (let m = this.decoder.next(); m !== null; m = this.helloWaiter ? null : this.decoder.next()) {
        if (this.helloWaiter) {
          const w = this.helloWaiter;
          this.helloWaiter = null;
          w.resolve(m);
          // The framing may change after the hello: what follows is read once open() decided.
          return;
        }
        this.onMessage(m);
      }
    } catch (e) {
      if (e instanceof FramingError) {
        this.fail(new NetconfProtocolError(`${this.options.label}: ${e.message}`));
      } else {
        throw e;
      }
    }
  }

  private onMessage(text: string): void {
    let root: ReplyElement;
    try {
      root = readReply(text.trimStart());
    } catch (e) {
      if (!(e instanceof XmlError)) throw e;
      const waiting = this.inFlight;
      this.inFlight = null;
      const err = new NetconfProtocolError(`${this.options.label} sent a reply that is not well-formed XML (${e.message}), so Modus cannot tell what happened`);
      if (waiting) waiting.reject(err);
      return;
    }
    if (root.localName !== 'rpc-reply') return; // notifications and the like: nothing Modus asked for
    const waiting = this.inFlight;
    const id = root.getAttribute('message-id');
    if (!waiting) return;
    if (id !== null && id !== waiting.id) {
      this.fail(new NetconfProtocolError(`${this.options.label} answered message ${id} while Modus waited for message ${waiting.id}`));
      return;
    }
    this.inFlight = null;
    waiting.resolve({ root, text, errors: rpcErrorsIn(root) });
  }

  private fail(e: Error): void {
    const waiting = this.inFlight;
    this.inFlight = null;
    waiting?.reject(e);
    this.helloWaiter?.reject(e);
    this.helloWaiter = null;
    this.endReason ??= e.message;
    this.destroy();
  }

  private onEnd(reason: string | null): void {
    if (reason !== null) this.endReason ??= reason;
    if (this.gone) return;
    this.gone = true;
    const err = this.closedError();
    this.inFlight?.reject(err);
    this.inFlight = null;
    // Before the hello, the channel's own reason (a refused subsystem, authentication) is the whole story.
    this.helloWaiter?.reject(new NetconfClosedError(this.endReason ?? `${this.options.label} ended the connection before its NETCONF hello`));
    this.helloWaiter = null;
    for (const w of this.endWaiters.splice(0)) w();
  }

  private closedError(): NetconfClosedError {
    return new NetconfClosedError(`the NETCONF session to ${this.options.label} ended${this.endReason ? ` (${this.endReason})` : ''}`);
  }
}
