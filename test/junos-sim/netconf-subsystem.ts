// The `netconf` SSH subsystem of the simulated routers, started by sshd for
// `ssh -s HOST netconf`: `node netconf-subsystem.js SOCKET`. It tells the
// simulator daemon which device the client reached (the server port, 4th
// field of SSH_CONNECTION) and as whom (USER), then joins stdin/stdout to
// the daemon's socket, as a router's NETCONF process joins sshd to its
// management daemon. When the daemon refuses (the refuse-subsystem fault),
// it exits at once with the error on stderr. netconf-connector.c does the
// same natively and is what the simulator uses when it can build it; this
// one is the fallback (and the reference the connector's tests hold both to).

import { connect } from 'node:net';

/**
 * Exits once `message` has reached stderr: sshd hands us a socket, to which
 * Node writes asynchronously, and an immediate exit would lose the message.
 */
function fail(message: string): void {
  process.exitCode = 1;
  process.stderr.write(`${message}\n`, () => process.exit(1));
}

/** Exits once everything written to stdout has gone out (same reason). */
function finish(): void {
  process.stdout.write('', () => process.exit(0));
}

function main(): void {
  const socketPath = process.argv[2];
  if (!socketPath) return fail('usage: netconf-subsystem.js SOCKET');
  const serverPort = Number((process.env.SSH_CONNECTION ?? '').trim().split(/\s+/)[3]);
  if (!Number.isInteger(serverPort) || serverPort <= 0) return fail('netconf-subsystem: SSH_CONNECTION does not name the server port (run me as an sshd subsystem)');
  const user = process.env.USER || process.env.LOGNAME || 'root';

  const daemon = connect(socketPath);
  let failed = false;
  daemon.on('error', (err) => {
    failed = true;
    fail(`netconf-subsystem: cannot reach the Junos simulator at ${socketPath}: ${err.message}`);
  });
  daemon.write(`${JSON.stringify({ port: serverPort, user })}\n`);

  let answerBytes = Buffer.alloc(0);
  const onAnswer = (bytes: Buffer) => {
    answerBytes = Buffer.concat([answerBytes, bytes]);
    const newline = answerBytes.indexOf(0x0a);
    if (newline < 0) return;
    daemon.off('data', onAnswer);
    let answer: { ok: boolean; error?: string };
    try {
      answer = JSON.parse(answerBytes.subarray(0, newline).toString('utf8')) as { ok: boolean; error?: string };
    } catch {
      answer = { ok: false, error: 'netconf-subsystem: unreadable answer from the Junos simulator' };
    }
    if (!answer.ok) {
      failed = true;
      daemon.destroy();
      return fail(answer.error ?? 'netconf-subsystem: refused');
    }
    const rest = answerBytes.subarray(newline + 1);
    if (rest.length > 0) process.stdout.write(rest);
    daemon.pipe(process.stdout, { end: false });
    process.stdin.pipe(daemon);
  };
  daemon.on('data', onAnswer);
  // The daemon closed the session (close-session, a dropped connection, the simulator stopping): so do we.
  daemon.on('close', () => {
    if (!failed) finish();
  });
}

main();
