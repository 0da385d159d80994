// Which code blocks Modus runs: the one definition for `modus run`,
// `modus check` and the notebook checks.

import type { CodeBlock } from './types.js';

/** Languages that run without any header argument. Any other language runs only when its block has header arguments (an explicit intent to run; a ```diff block is documentation). */
export const RUNNABLE_LANGUAGES: ReadonlySet<string> = new Set([
  'sh', 'shell', 'bash', 'zsh', 'ksh', 'dash', 'fish', 'python', 'python3', 'perl', 'ruby', 'node', 'js', 'javascript',
  'php', 'lua', 'tclsh', 'Rscript', 'pwsh', 'junos',
]);

export function isRunnable(block: CodeBlock): boolean {
  if (block.lang === '') return false;
  return RUNNABLE_LANGUAGES.has(block.lang) || block.argsText.trim() !== '';
}
