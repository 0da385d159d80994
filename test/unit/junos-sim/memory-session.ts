// A NETCONF session with a simulated device over an in-memory transport:
// what the simulator writes is decoded into messages; what the test sends
// is framed as a client would.

import { ManualClock } from '../../junos-sim/clock.js';
import { frame, FrameDecoder, type Framing } from '../../junos-sim/framing.js';
import type { NetconfSession } from '../../junos-sim/netconf-session.js';
import { waitFor } from '../../junos-sim/reading-replies.js';
import { SimDeviceRuntime } from '../../junos-sim/sim-device.js';

export const CLIENT_HELLO_10 = '<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>';
export const CLIENT_HELLO_11 =
  '<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>';

export const START = Date.UTC(2026, 0, 15, 9, 0, 0);

let nextId = 5000;

export function memoryDevice(config: string, name = 'r1'): { device: SimDeviceRuntime; clock: ManualClock } {
  const clock = new ManualClock(START);
  return { device: new SimDeviceRuntime(name, 830, clock, config, () => ++nextId), clock };
}

export class MemorySession {
  readonly messages: string[] = [];
  readonly raw: Buffer[] = [];
  closed = false;
  readonly session: NetconfSession;
  readonly #decoder = new FrameDecoder();
  #sendMode: Framing = 'eom';
  #messageId = 0;

  constructor(device: SimDeviceRuntime, o: { user?: string; base11?: boolean } = {}) {
    this.session = device.openSession(
      o.user ?? 'root',
      {
        write: (bytes) => {
          this.raw.push(bytes);
          this.#decoder.push(bytes);
          for (let m = this.#decoder.next(); m !== null; m = this.#decoder.next()) this.messages.push(m);
        },
        close: () => {
          this.closed = true;
          queueMicrotask(() => this.session.end());
        },
      },
      o.base11 ?? false,
    );
  }

  /** Both sides switch to chunked framing (after a base:1.1 hello exchange). */
  chunked(): void {
    this.#sendMode = 'chunked';
    this.#decoder.setMode('chunked');
  }

  sendRaw(text: string): void {
    this.session.receive(frame(text, this.#sendMode));
  }

  hello(text = CLIENT_HELLO_10): void {
    this.sendRaw(text);
  }

  /** Sends `<rpc message-id=N>body</rpc>` and resolves with the reply. */
  async rpc(body: string, attributes = ''): Promise<string> {
    this.#messageId += 1;
    const before = this.messages.length;
    this.sendRaw(`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" message-id="${this.#messageId}"${attributes}>${body}</rpc>`);
    await waitFor(() => this.messages.length > before || this.closed, `a reply to ${body.slice(0, 60)}`);
    return this.messages[before] ?? '';
  }
}
