// Key chords as written in settings ("Ctrl+Shift+T", "ctrl+pagedown",
// "Alt+/") and their one canonical spelling, so the renderer can compare a
// keyboard event with a binding by string equality.
//
// Canonical form: modifiers in the order Ctrl, Alt, Shift, Meta, then one
// key joined by "+": an upper-case letter, a digit, a punctuation character
// (`=-/\[];',.\``), "Plus", or a named key (F1..F24, PageUp, PageDown, Home,
// End, Insert, Delete, Backspace, Tab, Enter, Escape, Space, ArrowUp,
// ArrowDown, ArrowLeft, ArrowRight). The key is the unshifted key on a US
// layout (KeyboardEvent.code's meaning), so "Ctrl+Shift+]" names the same
// physical key whatever Shift makes it print.

const MODIFIER_ORDER = ['Ctrl', 'Alt', 'Shift', 'Meta'] as const;
type Modifier = (typeof MODIFIER_ORDER)[number];

const MODIFIER_ALIASES: Record<string, Modifier> = {
  ctrl: 'Ctrl', control: 'Ctrl', alt: 'Alt', option: 'Alt', opt: 'Alt', shift: 'Shift',
  meta: 'Meta', cmd: 'Meta', command: 'Meta', super: 'Meta', win: 'Meta',
};

const NAMED_KEYS = [
  'PageUp', 'PageDown', 'Home', 'End', 'Insert', 'Delete', 'Backspace', 'Tab', 'Enter', 'Escape', 'Space',
  'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Plus',
];
const KEY_ALIASES: Record<string, string> = {
  pgup: 'PageUp', pgdn: 'PageDown', pagedn: 'PageDown', ins: 'Insert', del: 'Delete', esc: 'Escape', return: 'Enter',
  up: 'ArrowUp', down: 'ArrowDown', left: 'ArrowLeft', right: 'ArrowRight', '+': 'Plus',
};
const PUNCTUATION = '=-/\\[];\',.`';

export type ChordResult = { ok: true; chord: string } | { ok: false; reason: string };

function canonicalKey(raw: string): string | null {
  if (/^[a-z]$/i.test(raw)) return raw.toUpperCase();
  if (/^[0-9]$/.test(raw)) return raw;
  if (raw.length === 1 && PUNCTUATION.includes(raw)) return raw;
  const lower = raw.toLowerCase();
  const fkey = /^f([1-9]|1[0-9]|2[0-4])$/.exec(lower);
  if (fkey) return `F${fkey[1]}`;
  if (lower in KEY_ALIASES) return KEY_ALIASES[lower]!;
  return NAMED_KEYS.find((k) => k.toLowerCase() === lower) ?? null;
}

/** Parses a chord; the reason says what to write instead. */
export function parseChord(text: string): ChordResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'empty chord' };
  // "Ctrl++" means Ctrl and the + key.
  const parts = trimmed.endsWith('++') ? [...trimmed.slice(0, -2).split('+'), '+'] : trimmed.split('+');
  if (parts.some((p) => p.trim() === '')) return { ok: false, reason: `"${text}" has an empty part; write modifiers and one key joined by "+", e.g. "Ctrl+Shift+T"` };
  const keyText = parts.pop()!.trim();
  const modifiers = new Set<Modifier>();
  for (const part of parts) {
    const m = MODIFIER_ALIASES[part.trim().toLowerCase()];
    if (!m) {
      return { ok: false, reason: `"${part.trim()}" is not a modifier (use Ctrl, Alt, Shift or Meta), or a chord has only one key` };
    }
    if (modifiers.has(m)) return { ok: false, reason: `${m} appears twice in "${text}"` };
    modifiers.add(m);
  }
  const key = canonicalKey(keyText);
  if (key === null) {
    return { ok: false, reason: `"${keyText}" is not a key name (use a letter, digit, punctuation, F1..F24, PageUp, PageDown, Home, End, Insert, Delete, Tab, Enter, Escape, Space or an Arrow key)` };
  }
  const printable = key.length === 1 || key === 'Plus' || key === 'Space';
  if (printable && !modifiers.has('Ctrl') && !modifiers.has('Alt') && !modifiers.has('Meta')) {
    return { ok: false, reason: `"${text}" would take a key away from typing; add Ctrl, Alt or Meta` };
  }
  const ordered = MODIFIER_ORDER.filter((m) => modifiers.has(m));
  return { ok: true, chord: [...ordered, key].join('+') };
}
