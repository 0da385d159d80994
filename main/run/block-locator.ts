// Finding a block again in a notebook that changed on disk while it ran: an
// editor inserted a block above it, deleted it, duplicated it; another
// `modus run` or the app wrote results elsewhere. A block is what ran: its
// language, info string and body. It is found by its :name, else among the
// blocks with exactly its text: by its rank among them when their number did
// not change (inserting or deleting other blocks keeps ranks), else by its
// neighbours. Results are never written under a block whose text differs
// from what ran, and never under a guess: an ambiguity is reported instead.
// Pure: no I/O.

import { parseHeaderArgs } from '../notebook/header-args.js';
import type { CodeBlock, ScannedNotebook } from '../notebook/types.js';

/** What ran: the engine's memory of a block. */
export interface BlockIdentity {
  /** Where it was when the run was planned (0-based among code blocks). */
  index: number;
  name: string | null;
  lang: string;
  info: string;
  body: string;
}

/** Where a block is in one version of the file, and what surrounds it there. */
export interface BlockLocation {
  index: number;
  /** How many blocks before it have exactly its text, and how many there are in all. */
  rank: number;
  copies: number;
  /** The texts of the code blocks before and after it, null at either end. */
  before: string | null;
  after: string | null;
}

export type Relocation = { block: CodeBlock; location: BlockLocation } | { problem: string };

/** A block's text as it ran: what decides whether results belong under it. */
export function blockText(b: { lang: string; info: string; body: string }): string {
  return `${b.lang}\u0000${b.info}\u0000${b.body}`;
}

/** Lookups over one version of the file, built once per version. */
export class BlockIndex {
  readonly #byText = new Map<string, CodeBlock[]>();
  #byName: Map<string, CodeBlock[]> | null = null;
  readonly #rank = new Map<CodeBlock, number>();

  constructor(readonly notebook: ScannedNotebook) {
    for (const b of notebook.blocks) {
      const key = blockText(b);
      const same = this.#byText.get(key);
      this.#rank.set(b, same ? same.length : 0);
      if (same) same.push(b);
      else this.#byText.set(key, [b]);
    }
  }

  withText(text: string): readonly CodeBlock[] {
    return this.#byText.get(text) ?? [];
  }

  named(name: string): readonly CodeBlock[] {
    if (!this.#byName) {
      this.#byName = new Map();
      for (const b of this.notebook.blocks) {
        const n = parseHeaderArgs(b).args.name;
        if (n === null) continue;
        const list = this.#byName.get(n);
        if (list) list.push(b);
        else this.#byName.set(n, [b]);
      }
    }
    return this.#byName.get(name) ?? [];
  }

  locationOf(block: CodeBlock): BlockLocation {
    const blocks = this.notebook.blocks;
    const prev = blocks[block.index - 1];
    const next = blocks[block.index + 1];
    return {
      index: block.index,
      rank: this.#rank.get(block) ?? 0,
      copies: this.withText(blockText(block)).length,
      before: prev ? blockText(prev) : null,
      after: next ? blockText(next) : null,
    };
  }
}

function describe(id: BlockIdentity): string {
  return `block ${id.index + 1}${id.name ? ` (${id.name})` : ''}`;
}

/**
 * The block that ran as `id`, last seen at `was`, in a new version of the
 * file; or why its results cannot go anywhere in it.
 */
export function relocate(index: BlockIndex, id: BlockIdentity, was: BlockLocation, file: string): Relocation {
  const text = blockText(id);
  if (id.name !== null) {
    const named = index.named(id.name).filter((b) => b.lang === id.lang);
    if (named.length === 0) return { problem: `${describe(id)} is no longer in ${file} (no block is named ${id.name} now)` };
    if (named.length > 1) return { problem: `${describe(id)}: ${named.length} blocks are named ${id.name} in ${file} now; not guessing which one ran` };
    const block = named[0]!;
    if (blockText(block) !== text) return { problem: `${describe(id)} was edited in ${file} while it ran, so these results are not the edited block's` };
    return { block, location: index.locationOf(block) };
  }
  const same = index.withText(text);
  if (same.length === 0) return { problem: `${describe(id)} is no longer in ${file} (deleted or edited while it ran)` };
  // Other blocks inserted or deleted: the copies of this text keep their order.
  if (same.length === was.copies) {
    const block = same[was.rank]!;
    return { block, location: index.locationOf(block) };
  }
  // A copy was added or removed: the neighbours it had decide, and only if one candidate stands out.
  let best: CodeBlock[] = [];
  let bestScore = -1;
  for (const b of same) {
    const at = index.locationOf(b);
    const score = (at.before === was.before ? 1 : 0) + (at.after === was.after ? 1 : 0);
    if (score > bestScore) {
      best = [b];
      bestScore = score;
    } else if (score === bestScore) best.push(b);
  }
  if (best.length !== 1 || bestScore === 0) {
    return { problem: `${describe(id)}'s text now appears ${same.length} times in ${file} and nothing tells which copy ran; not guessing` };
  }
  const block = best[0]!;
  return { block, location: index.locationOf(block) };
}
