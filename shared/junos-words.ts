// The words that tell what a line of a ```junos block is: shared by the
// engine (main/notebook/junos-block.ts: which block is operational, which is
// set-style configuration) and the highlighting (junos-language.ts), so what
// is coloured as a verb is what runs as one.

/** Words that start an operational-mode command (the CLI's `>` prompt). */
export const OP_VERBS: ReadonlySet<string> = new Set(['show', 'request', 'clear', 'ping', 'traceroute', 'file', 'monitor', 'op', 'test', 'restart']);
/** Words that start a configuration-mode line `load set` accepts. */
export const SET_VERBS: ReadonlySet<string> = new Set([
  'set', 'delete', 'deactivate', 'activate', 'annotate', 'insert', 'rename', 'copy', 'protect', 'unprotect', 'edit', 'top', 'up', 'wildcard',
]);
