// A minimal NETCONF client for the simulator tests: the user's OpenSSH
// client (`ssh -F CONFIG -s NAME netconf`, argv, no shell) with framing
// done here. Waits are on conditions with hang-guard deadlines.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { frame, FrameDecoder, type Framing } from '../../junos-sim/framing.js';
import { waitFor } from '../../junos-sim/reading-replies.js';

export const HELLO_10 = '<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability></capabilities></hello>';
export const HELLO_11 =
  '<hello xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><capabilities><capability>urn:ietf:params:netconf:base:1.0</capability><capability>urn:ietf:params:netconf:base:1.1</capability></capabilities></hello>';

export class SshNetconf {
  readonly messages: string[] = [];
  /** Everything received, undecoded (to look at framing). */
  readonly received: Buffer[] = [];
  stderr = '';
  exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #decoder = new FrameDecoder();
  #mode: Framing = 'eom';
  #id = 0;
  /** Bytes that do not decode (a malformed reply's leftovers…) do not stop the others. */
  decodeError: string | null = null;

  constructor(sshConfig: string, host: string) {
    this.#child = spawn('ssh', ['-F', sshConfig, '-o', 'BatchMode=yes', '-s', host, 'netconf'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stdout.on('data', (b: Buffer) => {
      this.received.push(b);
      this.#decoder.push(b);
      try {
        for (let m = this.#decoder.next(); m !== null; m = this.#decoder.next()) this.messages.push(m);
      } catch (err) {
        this.decodeError = err instanceof Error ? err.message : String(err);
      }
    });
    this.#child.stderr.on('data', (b: Buffer) => (this.stderr += b.toString()));
    this.#child.stdin.on('error', () => undefined);
    this.#child.on('close', (code, signal) => (this.exit = { code, signal }));
  }

  /** Waits for the server's hello and answers with `hello` (base:1.1 switches both ways to chunks). */
  async hello(hello = HELLO_10): Promise<string> {
    await waitFor(() => this.messages.length > 0 || this.exit !== null, 'the server hello');
    const server = this.messages[0];
    if (server === undefined) throw new Error(`no hello; ssh exited ${JSON.stringify(this.exit)}: ${this.stderr}`);
    this.#child.stdin.write(frame(hello, 'eom'));
    if (hello.includes('base:1.1') && server.includes('urn:ietf:params:netconf:base:1.1')) {
      this.#mode = 'chunked';
      this.#decoder.setMode('chunked');
    }
    return server;
  }

  /**
   * Sends an RPC and resolves with its reply (found by message-id, so RPCs
   * may be pipelined), or '' when the connection ended first.
   */
  async rpc(body: string): Promise<string> {
    this.#id += 1;
    const id = `message-id="${this.#id}"`;
    const from = this.messages.length;
    this.#child.stdin.write(frame(`<rpc xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" ${id}>${body}</rpc>`, this.#mode));
    const reply = () => this.messages.slice(from).find((m) => m.slice(0, m.indexOf('>')).includes(id));
    await waitFor(() => reply() !== undefined || this.exit !== null, `a reply to ${body.slice(0, 60)}`);
    return reply() ?? '';
  }

  /** Resolves once ssh has exited. */
  async closed(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    await waitFor(() => this.exit !== null, 'ssh to exit');
    return this.exit!;
  }

  /** Closes our side (EOF) and waits for ssh to exit. */
  async close(): Promise<void> {
    this.#child.stdin.end();
    await this.closed();
  }

  kill(): void {
    this.#child.kill('SIGKILL');
  }
}
