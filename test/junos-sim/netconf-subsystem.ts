// The `netconf` SSH subsystem of the simulated routers, started by sshd for
// `ssh -s HOST netconf`: `node netconf-subsystem.js SOCKET`. It tells the
// simulator daemon which device the client reached (the server port, 4th
// field of SSH_CONNECTION) and as whom (USER), then joins stdin/stdout to
// the daemon's socket, as a router's NETCONF process joins sshd to its
// management daemon. When the daemon refuses (the refuse-subsystem fault),
// it exits at once with the error on stderr.

import { connect } from 'node:net';

function die(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const socketPath = process.argv[2];
if (!socketPath) die('usage: netconf-subsystem.js SOCKET');
const serverPort = Number((process.env.SSH_CONNECTION ?? '').trim().split(/\s+/)[3]);
if (!Number.isInteger(serverPort) || serverPort <= 0) die('netconf-subsystem: SSH_CONNECTION does not name the server port (run me as an sshd subsystem)');
const user = process.env.USER || process.env.LOGNAME || 'root';

const daemon = connect(socketPath);
daemon.on('error', (err) => die(`netconf-subsystem: cannot reach the Junos simulator at ${socketPath}: ${err.message}`));
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
    die('netconf-subsystem: unreadable answer from the Junos simulator');
  }
  if (!answer.ok) die(answer.error ?? 'netconf-subsystem: refused');
  const rest = answerBytes.subarray(newline + 1);
  if (rest.length > 0) process.stdout.write(rest);
  daemon.pipe(process.stdout, { end: false });
  process.stdin.pipe(daemon);
};
daemon.on('data', onAnswer);
// The daemon closed the session (close-session, a dropped connection, the simulator stopping): so do
// we, once what it sent has reached sshd (the empty write's callback runs after the earlier writes).
daemon.on('close', () => process.stdout.write('', () => process.exit(0)));
