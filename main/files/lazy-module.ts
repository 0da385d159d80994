// A CommonJS package loaded on first use, not when Modus starts. `modus run`
// over SSH hosts with plain output never needs the XML libraries (Junos,
// XPath checks) or the terminal emulator (output with escapes), and loading
// them cost 60 ms of a 300 ms start, before the first host is contacted.

import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/** A function that returns the package, loading it the first time (synchronously, as an import would have). */
export function lazyModule<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load(name) as T);
}
