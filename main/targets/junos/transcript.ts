// What a Junos block shows: what the device said, laid out as the CLI
// would show it (`root@edge1> show version`, `root@edge1# commit check`),
// streamed through the run's normal output path so capture, the journal
// and a live view all get it. Modus's own remarks start with `modus: `.

import type { RunIO } from '../target.js';

export interface Transcript {
  /** Appends text (waits while the reader applies back-pressure). */
  write(text: string): Promise<void>;
  /** A remark of Modus's own, on its own line. */
  note(text: string): Promise<void>;
}

export function transcriptOf(io: Pick<RunIO, 'onData'>): Transcript {
  const write = async (text: string): Promise<void> => {
    if (text === '') return;
    await io.onData(Buffer.from(text, 'utf8'));
  };
  return { write, note: (text) => write(`modus: ${text}\n`) };
}

/** `root@edge1`: who the prompt names (the host alone when the user is unknown). */
export function promptName(user: string | null, host: string): string {
  const bare = host.replace(/^.*@/, '');
  return user ? `${user}@${bare}` : bare;
}
