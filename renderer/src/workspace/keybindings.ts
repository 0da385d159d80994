// Key chords from settings ("Ctrl+Shift+T", "Ctrl+PageUp", "Alt+/", "Ctrl+=")
// parsed once and matched against keyboard events. Pure (no DOM types), so
// it is unit-tested under node.

import type { KeyAction } from '../../../main/protocol.js';

/** The parts of a KeyboardEvent a chord is matched against. */
export interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

export interface Chord {
  ctrl: boolean;
  shift: boolean;
  alt: boolean;
  meta: boolean;
  /** The key, lower-cased when it is one character ("t", "=", "/"), else its KeyboardEvent.key name ("PageUp"). */
  key: string;
}

const MODIFIERS: Record<string, 'ctrl' | 'shift' | 'alt' | 'meta'> = {
  ctrl: 'ctrl', control: 'ctrl', shift: 'shift', alt: 'alt', option: 'alt',
  meta: 'meta', cmd: 'meta', command: 'meta', super: 'meta', win: 'meta',
};

const NAMED_KEYS = new Map(
  ['PageUp', 'PageDown', 'Home', 'End', 'Insert', 'Delete', 'Backspace', 'Tab', 'Enter', 'Escape', 'Space',
    'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', ...Array.from({ length: 24 }, (_, i) => `F${i + 1}`)]
    .map((k) => [k.toLowerCase(), k]),
);
const ALIASES: Record<string, string> = { plus: '+', minus: '-', esc: 'Escape', return: 'Enter', up: 'ArrowUp', down: 'ArrowDown', left: 'ArrowLeft', right: 'ArrowRight', pgup: 'PageUp', pgdn: 'PageDown', del: 'Delete' };

/** The physical key (KeyboardEvent.code) for one-character keys, so Shift or a layout change still matches. */
const CODE_OF: Record<string, string> = {
  '=': 'Equal', '-': 'Minus', '/': 'Slash', '\\': 'Backslash', ',': 'Comma', '.': 'Period', ';': 'Semicolon',
  "'": 'Quote', '`': 'Backquote', '[': 'BracketLeft', ']': 'BracketRight',
};

export class ChordError extends Error {
  override name = 'ChordError';
}

/** Parses "Ctrl+Shift+T"; throws ChordError saying what is wrong. */
export function parseChord(text: string): Chord {
  const chord: Chord = { ctrl: false, shift: false, alt: false, meta: false, key: '' };
  // "Ctrl++" means Ctrl and the + key: a trailing "+" after a "+" is the key itself.
  const trimmed = text.trim();
  const plusKey = trimmed === '+' || trimmed.endsWith('++');
  const parts = plusKey ? [...(trimmed === '+' ? [] : trimmed.slice(0, -2).split('+')), '+'] : trimmed.split('+');
  if (parts.some((p) => p.trim() === '')) throw new ChordError(`key chord "${text}" is not of the form Modifier+Key, e.g. "Ctrl+Shift+T"`);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!.trim();
    const last = i === parts.length - 1;
    const modifier = MODIFIERS[part.toLowerCase()];
    if (!last) {
      if (!modifier) throw new ChordError(`key chord "${text}": "${part}" is not a modifier (Ctrl, Shift, Alt, Meta)`);
      chord[modifier] = true;
      continue;
    }
    if (modifier) throw new ChordError(`key chord "${text}" has no key after the modifiers`);
    const alias = ALIASES[part.toLowerCase()] ?? part;
    if (Array.from(alias).length === 1) chord.key = alias.toLowerCase();
    else {
      const named = NAMED_KEYS.get(alias.toLowerCase());
      if (!named) throw new ChordError(`key chord "${text}": unknown key "${part}"`);
      chord.key = named === 'Space' ? ' ' : named;
    }
  }
  return chord;
}

function sameModifiers(chord: Chord, ev: KeyLike): boolean {
  return chord.ctrl === ev.ctrlKey && chord.shift === ev.shiftKey && chord.alt === ev.altKey && chord.meta === ev.metaKey;
}

/** Whether the event is this chord: modifiers exactly, and the key by value or by physical position. */
export function matchesChord(chord: Chord, ev: KeyLike): boolean {
  if (!sameModifiers(chord, ev)) return false;
  const key = Array.from(ev.key).length === 1 ? ev.key.toLowerCase() : ev.key;
  if (key === chord.key) return true;
  if (chord.key.length !== 1) return false;
  if (/^[a-z]$/.test(chord.key)) return ev.code === `Key${chord.key.toUpperCase()}`;
  if (/^[0-9]$/.test(chord.key)) return ev.code === `Digit${chord.key}` || ev.code === `Numpad${chord.key}`;
  return CODE_OF[chord.key] === ev.code;
}

/** Settings keybindings, parsed: finds the action for an event. Unparsable chords are reported, not fatal. */
export class KeyMap {
  private readonly entries: [KeyAction, Chord][] = [];
  readonly problems: string[] = [];

  constructor(bindings: Partial<Record<KeyAction, string>>) {
    for (const [action, text] of Object.entries(bindings) as [KeyAction, string][]) {
      if (typeof text !== 'string' || text.trim() === '') continue;
      try {
        this.entries.push([action, parseChord(text)]);
      } catch (e) {
        this.problems.push(`${action}: ${(e as Error).message}`);
      }
    }
  }

  actionFor(ev: KeyLike): KeyAction | null {
    for (const [action, chord] of this.entries) if (matchesChord(chord, ev)) return action;
    return null;
  }
}
