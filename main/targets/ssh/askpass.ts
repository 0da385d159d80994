// Passwords and passphrases for ssh, asked of the user by Modus itself. ssh
// runs with SSH_ASKPASS pointing to a small sh helper and
// SSH_ASKPASS_REQUIRE=force; the helper hands the question to this process
// through FIFOs in a private 0700 directory and prints the answer for ssh.
// A FIFO holds nothing on disk, so the secret exists only in the prompter's
// hands, this process's memory for a moment, and ssh. It never reaches a
// notebook, a journal, a log or a results block: nothing here keeps it.
//
// Protocol: the helper (pid P) makes P.answer (a FIFO it holds open), writes
// the host label and ssh's prompt to P.prompt, then writes "P\n" to the
// `requests` FIFO. Modus reads the line, asks, and writes "+SECRET\n" (or
// "-\n": refused) into P.answer.

import { execFile } from 'node:child_process';
import { constants, openSync } from 'node:fs';
import { chmod, open, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createScratchDir } from '../../files/scratch-dir.js';

const execFileAsync = promisify(execFile);

export interface SecretRequest {
  /** The host as the notebook names it. */
  host: string;
  /** ssh's own question (`Enter passphrase for key '…': `, `root@r1's password: `). */
  prompt: string;
}

/** Asks the user; null when they declined or nobody can be asked. */
export type SecretPrompter = (q: SecretRequest) => Promise<string | null>;

const HELPER = `#!/bin/sh
# Modus's askpass helper: passes ssh's question to the Modus process that
# started ssh and prints its answer. Nothing is written to disk but the
# question; the answer comes through a FIFO.
d=$MODUS_ASKPASS_DIR
[ -n "$d" ] && [ -d "$d" ] || exit 1
umask 077
a="$d/$$.answer"
mkfifo "$a" || exit 1
exec 3<>"$a"
printf '%s\\n%s' "$MODUS_ASKPASS_HOST" "$1" > "$d/$$.prompt"
echo "$$" > "$d/requests"
IFS= read -r answer <&3
exec 3<&-
rm -f "$a" "$d/$$.prompt"
case $answer in
  +*) printf '%s\\n' "\${answer#+}" ;;
  *) exit 1 ;;
esac
`;

export class AskpassBroker {
  private queue: Promise<unknown> = Promise.resolve();
  private buffered = '';

  private constructor(
    private readonly dir: string,
    private readonly requests: Socket,
    private readonly prompter: SecretPrompter,
  ) {
    requests.on('data', (b: Buffer) => this.onRequests(b.toString('latin1')));
    requests.on('error', () => undefined);
  }

  static async create(prompter: SecretPrompter): Promise<AskpassBroker> {
    const dir = await createScratchDir('askpass');
    const helper = join(dir, 'askpass');
    await writeFile(helper, HELPER, { mode: 0o700 });
    await chmod(helper, 0o700);
    const fifo = join(dir, 'requests');
    await execFileAsync('mkfifo', ['-m', '600', fifo]);
    // Read-write and non-blocking: a FIFO with a reader never blocks the helper's write, and libuv can poll it.
    const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    const socket = new Socket({ fd, readable: true, writable: false });
    socket.unref();
    return new AskpassBroker(dir, socket, prompter);
  }

  /** Environment for an ssh process that may ask for `host`'s password or passphrase. */
  env(host: string): Record<string, string> {
    return {
      SSH_ASKPASS: join(this.dir, 'askpass'),
      SSH_ASKPASS_REQUIRE: 'force',
      MODUS_ASKPASS_DIR: this.dir,
      MODUS_ASKPASS_HOST: host,
      // Older OpenSSH releases use askpass only when DISPLAY is set.
      DISPLAY: process.env.DISPLAY ?? ':0',
    };
  }

  private onRequests(text: string): void {
    this.buffered += text;
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const pid = this.buffered.slice(0, nl).trim();
      this.buffered = this.buffered.slice(nl + 1);
      if (!/^\d+$/.test(pid)) continue;
      // One question at a time: twenty hosts asking at once would otherwise talk over each other.
      this.queue = this.queue.then(() => this.answer(pid)).catch(() => undefined);
    }
  }

  private async answer(pid: string): Promise<void> {
    const promptFile = join(this.dir, `${pid}.prompt`);
    let host = '';
    let prompt = '';
    try {
      const text = await readFile(promptFile, 'utf8');
      const nl = text.indexOf('\n');
      host = nl < 0 ? '' : text.slice(0, nl);
      prompt = nl < 0 ? text : text.slice(nl + 1);
    } catch {
      return;
    }
    let secret: string | null = null;
    try {
      secret = await this.prompter({ host, prompt });
    } catch {
      secret = null;
    }
    // A newline would end the answer early; such a secret cannot be typed at ssh's own prompt either.
    const reply = secret !== null && !/[\r\n]/.test(secret) ? `+${secret}\n` : '-\n';
    let fh;
    try {
      fh = await open(join(this.dir, `${pid}.answer`), constants.O_WRONLY | constants.O_NONBLOCK);
      await fh.write(reply);
    } catch {
      // The helper is gone (ssh was stopped): nobody to answer.
    } finally {
      await fh?.close().catch(() => undefined);
      await unlink(promptFile).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.requests.destroy();
    await rm(this.dir, { recursive: true, force: true });
  }
}
