// A key's passphrase, asked once for all the hosts of a run that use the key.
// ssh asks it per connection, so a fan-out to 50 hosts with an encrypted key
// and no agent asked 50 times; pssh -A and ansible --ask-pass ask once too.
// Only key passphrases are shared: ssh names the key file in its question,
// and a key's passphrase is the same whatever the host. A host's password is
// its own. The answer stays in memory until forget() (the end of the run):
// an ssh that asks again for a host already given it says the answer was
// wrong, and the user is asked afresh; the other hosts then get the new one.

import type { SecretPrompter, SecretRequest } from './askpass.js';

const PASSPHRASE = /^Enter passphrase for (?:[A-Z0-9-]+ )?key '(.+)':\s*$/;

export interface SharedPassphrases {
  prompter: SecretPrompter;
  /** Drops every answer kept (a run ended). */
  forget(): void;
}

interface Kept {
  answer: Promise<string | null>;
  /** Hosts that were given this answer: one asking again was refused with it. */
  given: Set<string>;
}

export function askOncePerKey(ask: SecretPrompter): SharedPassphrases {
  const kept = new Map<string, Kept>();
  return {
    prompter: (q: SecretRequest) => {
      const key = PASSPHRASE.exec(q.prompt)?.[1];
      if (key === undefined) return ask(q);
      const k = kept.get(key);
      if (k && !k.given.has(q.host)) {
        k.given.add(q.host);
        return k.answer;
      }
      const fresh: Kept = {
        answer: ask({ ...q, prompt: `${q.prompt.trimEnd()} (asked once: the answer also opens the key for the run's other hosts) ` }),
        given: new Set([q.host]),
      };
      kept.set(key, fresh);
      return fresh.answer;
    },
    forget: () => kept.clear(),
  };
}
