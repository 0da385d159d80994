// Dynamic abbreviation (Alt+/): complete the word before the cursor with
// words seen in any open terminal, the most recent first; pressing again
// cycles. Pure logic; the DOM side (reading xterm buffers, sending input)
// lives in completion.ts.
//
// A "word" is a run of letters, digits, `_`, `-` and `.`, so host names
// (core-rtr1.example.net), interface names with dashes and long options
// (--verbose) complete as one word. Trailing `.` and `-` are dropped from
// candidates (the end of a sentence is not part of the word).

const WORD_CHAR = /[\p{L}\p{N}\p{M}_.-]/u;
const WORD_RUN = /[\p{L}\p{N}\p{M}_.-]+/gu;

/** What the terminal's backspace key sends; readline deletes one character per DEL. */
export const BACKSPACE = '\x7f';

/**
 * The word immediately left of `cursor` (a UTF-16 index into `line`), or ''
 * when the character before the cursor is not a word character.
 */
export function wordBeforeCursor(line: string, cursor: number): string {
  const chars = Array.from(line.slice(0, Math.max(0, cursor)));
  let start = chars.length;
  while (start > 0 && WORD_CHAR.test(chars[start - 1]!)) start--;
  return chars.slice(start).join('');
}

function trimWord(word: string): string {
  return word.replace(/[.-]+$/u, '');
}

/**
 * Candidates for `prefix`, the most recent first, without duplicates.
 * `terminals` holds each terminal's lines top to bottom, the most recently
 * active terminal first: recency is the terminal order, then the distance
 * from the bottom, then right to left within a line.
 */
export function completionCandidates(prefix: string, terminals: readonly (readonly string[])[]): string[] {
  if (prefix.length === 0) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const lines of terminals) {
    for (let i = lines.length - 1; i >= 0; i--) {
      const words = lines[i]!.match(WORD_RUN) ?? [];
      for (let j = words.length - 1; j >= 0; j--) {
        const word = trimWord(words[j]!);
        if (word.length > prefix.length && word.startsWith(prefix) && !seen.has(word)) {
          seen.add(word);
          out.push(word);
        }
      }
    }
  }
  return out;
}

/** The state between two presses of the completion key in the same terminal. */
export interface CompletionCycle {
  prefix: string;
  candidates: string[];
  /** Index of the candidate now inserted. */
  index: number;
}

/** Input that erases `inserted` (one DEL per character) and types `next`. */
export function replaceInput(inserted: string, next: string): string {
  return BACKSPACE.repeat(Array.from(inserted).length) + next;
}

/** The text inserted after the prefix for the current candidate. */
export function insertedText(cycle: CompletionCycle): string {
  return cycle.candidates[cycle.index]!.slice(cycle.prefix.length);
}

/**
 * Starts a completion: returns the cycle and the input to send, or null
 * when nothing matches.
 */
export function startCompletion(prefix: string, terminals: readonly (readonly string[])[]): { cycle: CompletionCycle; input: string } | null {
  const candidates = completionCandidates(prefix, terminals);
  if (candidates.length === 0) return null;
  const cycle = { prefix, candidates, index: 0 };
  return { cycle, input: insertedText(cycle) };
}

/** The next press: replaces the current candidate with the next one (wrapping around). */
export function advanceCompletion(cycle: CompletionCycle): { cycle: CompletionCycle; input: string } {
  const next = { ...cycle, index: (cycle.index + 1) % cycle.candidates.length };
  return { cycle: next, input: replaceInput(insertedText(cycle), insertedText(next)) };
}
