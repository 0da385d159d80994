// Turns the text of settings.json into Settings plus positioned problems.
// The file is read the way VS Code reads its own settings (jsonc-parser:
// comments and trailing commas allowed). Every invalid value falls back to
// its default, so Modus always starts; each problem says where it is, what
// is wrong and what was used instead.

import { GPU_ACCELERATION_VALUES, type KeyAction, type Palette, type Settings, type SettingsProblem } from '../protocol.js';
import { defaultSettings, DEFAULT_KEYBINDINGS, KEY_ACTIONS, FONT_SIZE_RANGE, SCROLLBACK_RANGE } from './defaults.js';
import { parseChord } from './chords.js';
import { readDocument, type JsonMember, type JsonNode, type Position } from './jsonc-document.js';

export interface SettingsResult {
  settings: Settings;
  problems: SettingsProblem[];
}

// The rules below are exported for settings-schema.ts: the schema an editor
// checks the file with is built from them, so the editor and Modus agree.

/** In the order defaultSettings() lists them, which is the order messages list them. */
export const SETTING_KEYS = Object.keys(defaultSettings()) as (keyof Settings)[];
export const PALETTE_KEYS = Object.keys(defaultSettings().palette) as (keyof Palette)[];
/** Editors (VS Code and others) find the file's schema under this key; Modus itself ignores it. */
export const SCHEMA_KEY = '$schema';
export const OPACITY_RANGE = { min: 0, max: 1 } as const;
export const ANSI_COLOUR_COUNT = 16;
export const FONT_FAMILY_MAX_LENGTH = 1024;
/** ECMA-262 regular expressions, the dialect of JSON Schema's "pattern". */
export const PATTERNS = {
  colour: '^#[0-9a-fA-F]{6}$',
  /** Something other than spaces: the same test as `s.trim() !== ''`. */
  nonBlank: '\\S',
  /** A NUL would cut a program path or argument short at exec. */
  noNul: '^[^\\u0000]*$',
  /** Absolute (Unix or Windows) or from the home directory: a relative path would depend on where Modus was started. */
  filePath: '^(~/|/|[A-Za-z]:[\\\\/])',
} as const;

const COLOUR = new RegExp(PATTERNS.colour);
const NON_BLANK = new RegExp(PATTERNS.nonBlank);
const NO_NUL = new RegExp(PATTERNS.noNul);
const FILE_PATH = new RegExp(PATTERNS.filePath);

// ---------------------------------------------------------------- the settings

const KIND_NAMES: Record<JsonNode['kind'], string> = {
  object: 'an object', array: 'a list', string: 'a string', number: 'a number', boolean: 'true/false', null: 'null',
};

/** Levenshtein distance, for "did you mean" hints on misspelt keys. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

function suggestion(key: string, known: readonly string[]): string {
  const best = known
    .map((k) => ({ k, d: k.toLowerCase() === key.toLowerCase() ? 0 : distance(key.toLowerCase(), k.toLowerCase()) }))
    .sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${best.k}"?)` : '';
}

class Validator {
  readonly problems: SettingsProblem[] = [];
  constructor(private readonly file: string) {}

  report(at: Position, message: string): void {
    this.problems.push({ file: this.file, line: at.line, column: at.column, message });
  }

  /** Reports keys seen twice in one object; JSON.parse would silently keep the last one. */
  checkDuplicates(members: JsonMember[], where: string): void {
    const seen = new Set<string>();
    for (const m of members) {
      if (seen.has(m.key)) this.report(m.keyAt, `${where}"${m.key}" is set twice; the last one is used`);
      seen.add(m.key);
    }
  }

  wrongType(path: string, node: JsonNode, expected: string, fallback: unknown): void {
    this.report(node.at, `${path} must be ${expected}, not ${KIND_NAMES[node.kind]}; using ${JSON.stringify(fallback)}`);
  }

  colour(path: string, node: JsonNode, fallback: string): string {
    if (node.kind === 'string' && COLOUR.test(node.value)) return node.value.toLowerCase();
    const got = node.kind === 'string' ? JSON.stringify(node.value) : KIND_NAMES[node.kind];
    this.report(node.at, `${path} must be a colour written #rrggbb (e.g. "#1e1e1e"), not ${got}; using ${fallback}`);
    return fallback;
  }

  number(path: string, node: JsonNode, range: { min: number; max: number }, fallback: number, options: { integer: boolean; unit?: string }): number {
    const what = `${options.integer ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}${options.unit ? ` (${options.unit})` : ''}`;
    if (node.kind !== 'number') {
      this.wrongType(path, node, what, fallback);
      return fallback;
    }
    if ((options.integer && !Number.isInteger(node.value)) || node.value < range.min || node.value > range.max) {
      this.report(node.at, `${path} must be ${what}, got ${node.value}; using ${fallback}`);
      return fallback;
    }
    return node.value;
  }

  palette(node: JsonNode, fallback: Palette): Palette {
    if (node.kind !== 'object') {
      this.wrongType('palette', node, 'an object with foreground, background, cursor, selection and ansi', 'the default palette');
      return fallback;
    }
    this.checkDuplicates(node.members, 'palette.');
    const palette: Palette = { ...fallback, ansi: [...fallback.ansi] };
    for (const m of node.members) {
      const key = m.key as keyof Palette;
      if (!PALETTE_KEYS.includes(key)) {
        this.report(m.keyAt, `unknown palette entry "${m.key}"${suggestion(m.key, PALETTE_KEYS)}; known entries: ${PALETTE_KEYS.join(', ')}`);
        continue;
      }
      if (key === 'ansi') palette.ansi = this.ansi(m.value, fallback.ansi);
      else palette[key] = this.colour(`palette.${key}`, m.value, fallback[key]);
    }
    return palette;
  }

  ansi(node: JsonNode, fallback: string[]): string[] {
    if (node.kind !== 'array') {
      this.wrongType('palette.ansi', node, `a list of ${ANSI_COLOUR_COUNT} colours`, 'the default colours');
      return fallback;
    }
    if (node.items.length !== ANSI_COLOUR_COUNT) {
      this.report(node.at, `palette.ansi must list exactly ${ANSI_COLOUR_COUNT} colours (black, red, green, yellow, blue, magenta, cyan, white, then their bright versions), got ${node.items.length}; using the default colours`);
      return fallback;
    }
    return node.items.map((item, i) => this.colour(`palette.ansi[${i}]`, item, fallback[i]!));
  }

  keybindings(node: JsonNode): Record<KeyAction, string> {
    const result = { ...DEFAULT_KEYBINDINGS };
    if (node.kind !== 'object') {
      this.wrongType('keybindings', node, 'an object mapping actions to chords such as "Ctrl+Shift+T"', 'the default keybindings');
      return result;
    }
    this.checkDuplicates(node.members, 'keybindings.');
    /** Actions the file binds explicitly, with where the chord was written. */
    const explicit = new Map<KeyAction, Position>();
    for (const m of node.members) {
      const action = m.key as KeyAction;
      if (!KEY_ACTIONS.includes(action)) {
        this.report(m.keyAt, `unknown action "${m.key}" in keybindings${suggestion(m.key, KEY_ACTIONS)}; actions: ${KEY_ACTIONS.join(', ')}`);
        continue;
      }
      const value = m.value;
      if (value.kind === 'null' || (value.kind === 'string' && !NON_BLANK.test(value.value))) {
        result[action] = ''; // unbound on purpose
        explicit.set(action, value.at);
        continue;
      }
      if (value.kind !== 'string') {
        this.wrongType(`keybindings.${action}`, value, 'a chord such as "Ctrl+Shift+T" (or "" to unbind)', DEFAULT_KEYBINDINGS[action]);
        continue;
      }
      const parsed = parseChord(value.value);
      if (!parsed.ok) {
        this.report(value.at, `keybindings.${action}: ${parsed.reason}; using "${DEFAULT_KEYBINDINGS[action]}"`);
        continue;
      }
      result[action] = parsed.chord;
      explicit.set(action, value.at);
    }
    this.resolveChordClashes(result, explicit);
    return result;
  }

  /**
   * One chord, one action. A chord the file gives to an action takes it away
   * from a default binding (that action becomes unbound, reported); the same
   * chord written twice in the file is an error at the second place.
   */
  resolveChordClashes(bindings: Record<KeyAction, string>, explicit: Map<KeyAction, Position>): void {
    const owner = new Map<string, KeyAction>();
    // Explicit bindings claim their chords first, in file order.
    const order = [...[...explicit.entries()].sort((a, b) => a[1].offset - b[1].offset).map(([a]) => a), ...KEY_ACTIONS.filter((a) => !explicit.has(a))];
    for (const action of order) {
      const chord = bindings[action];
      if (chord === '') continue;
      const holder = owner.get(chord);
      if (holder === undefined) {
        owner.set(chord, action);
        continue;
      }
      const at = explicit.get(action);
      if (at) {
        this.report(at, `keybindings.${action}: "${chord}" is already bound to ${holder}; ${action} is left unbound`);
      } else {
        const holderAt = explicit.get(holder)!;
        this.report(holderAt, `keybindings.${holder}: "${chord}" is also the default chord of ${action}, which is now unbound (give ${action} another chord to keep it)`);
      }
      bindings[action] = '';
    }
  }

  /** A file path setting (sshConfig, inventory): absolute or `~/…`, or null. */
  filePath(key: 'sshConfig' | 'inventory', node: JsonNode, example: string, nullMeans: string): string | null {
    if (node.kind === 'null') return null;
    const what = `the path of ${key === 'sshConfig' ? 'an ssh_config file' : 'an inventory YAML file'}, absolute or starting with "~/" (e.g. "${example}"), or null for ${nullMeans}`;
    if (node.kind !== 'string') {
      this.wrongType(key, node, what, null);
      return null;
    }
    if (!NON_BLANK.test(node.value) || !FILE_PATH.test(node.value) || !NO_NUL.test(node.value)) {
      this.report(node.at, `${key} must be ${what}, not ${JSON.stringify(node.value)}; using null`);
      return null;
    }
    return node.value;
  }

  settings(root: JsonNode): Settings {
    const settings = defaultSettings();
    if (root.kind !== 'object') {
      this.report(root.at, `the settings file must hold one JSON object ({ ... }), not ${KIND_NAMES[root.kind]}; using the defaults`);
      return settings;
    }
    this.checkDuplicates(root.members, '');
    for (const m of root.members) {
      const key = m.key as keyof Settings;
      const v = m.value;
      if (m.key === SCHEMA_KEY) {
        if (v.kind !== 'string') this.report(v.at, `${SCHEMA_KEY} must be a string (the path or URL of the settings schema, for editors), not ${KIND_NAMES[v.kind]}; it is ignored`);
        continue;
      }
      if (!SETTING_KEYS.includes(key)) {
        this.report(m.keyAt, `unknown setting "${m.key}"${suggestion(m.key, [...SETTING_KEYS, SCHEMA_KEY])}; known settings: ${SETTING_KEYS.join(', ')}`);
        continue;
      }
      const fallback = defaultSettings();
      switch (key) {
        case 'fontFamily':
          if (v.kind === 'string' && NON_BLANK.test(v.value) && v.value.length <= FONT_FAMILY_MAX_LENGTH) settings.fontFamily = v.value;
          else if (v.kind === 'string' && !NON_BLANK.test(v.value)) this.report(v.at, 'fontFamily must name at least one font (a CSS font-family list); using the default fonts');
          else if (v.kind === 'string') this.report(v.at, `fontFamily is ${v.value.length} characters long, more than ${FONT_FAMILY_MAX_LENGTH}; using the default fonts`);
          else this.wrongType('fontFamily', v, 'a string (a CSS font-family list)', fallback.fontFamily);
          break;
        case 'fontSize':
          settings.fontSize = this.number('fontSize', v, FONT_SIZE_RANGE, fallback.fontSize, { integer: false, unit: 'points' });
          break;
        case 'opacity':
          settings.opacity = this.number('opacity', v, OPACITY_RANGE, fallback.opacity, { integer: false, unit: 'background opacity, 1 = opaque' });
          break;
        case 'scrollback':
          settings.scrollback = this.number('scrollback', v, SCROLLBACK_RANGE, fallback.scrollback, { integer: true, unit: 'lines' });
          break;
        case 'palette':
          settings.palette = this.palette(v, fallback.palette);
          break;
        case 'shell':
          if (v.kind === 'null') settings.shell = null;
          else if (v.kind === 'string' && NON_BLANK.test(v.value) && NO_NUL.test(v.value)) settings.shell = v.value;
          else if (v.kind === 'string') this.report(v.at, 'shell must be a program path such as "/bin/zsh", or null for $SHELL; using $SHELL');
          else this.wrongType('shell', v, 'a program path such as "/bin/zsh", or null for $SHELL', null);
          break;
        case 'shellArgs':
          if (v.kind !== 'array') {
            this.wrongType('shellArgs', v, 'a list of strings such as ["-l"]', fallback.shellArgs);
          } else {
            const bad = v.items.find((i) => i.kind !== 'string' || !NO_NUL.test(i.value));
            if (bad) this.report(bad.at, `shellArgs must contain only strings, not ${KIND_NAMES[bad.kind]}; using ${JSON.stringify(fallback.shellArgs)}`);
            else settings.shellArgs = v.items.map((i) => (i as { value: string }).value);
          }
          break;
        case 'keybindings':
          settings.keybindings = this.keybindings(v);
          break;
        case 'gpuAcceleration': {
          const value = v.kind === 'string' ? GPU_ACCELERATION_VALUES.find((g) => g === v.value) : undefined;
          const choices = GPU_ACCELERATION_VALUES.map((g) => `"${g}"`).join(', ');
          if (value) settings.gpuAcceleration = value;
          else if (v.kind === 'string') this.report(v.at, `gpuAcceleration "${v.value}" is not one of ${choices}${suggestion(v.value, GPU_ACCELERATION_VALUES)}; using "${fallback.gpuAcceleration}"`);
          else this.wrongType('gpuAcceleration', v, `one of ${choices}`, fallback.gpuAcceleration);
          break;
        }
        case 'sshConfig':
          settings.sshConfig = this.filePath('sshConfig', v, '~/.ssh/lab_config', '~/.ssh/config');
          break;
        case 'inventory':
          settings.inventory = this.filePath('inventory', v, '~/lab/inventory.yaml', 'no inventory');
          break;
        case 'shellIntegration':
          if (v.kind === 'boolean') settings.shellIntegration = v.value;
          else this.wrongType('shellIntegration', v, 'true or false', fallback.shellIntegration);
          break;
        case 'sshShellIntegration':
          if (v.kind === 'boolean') settings.sshShellIntegration = v.value;
          else this.wrongType('sshShellIntegration', v, 'true or false', fallback.sshShellIntegration);
          break;
      }
    }
    return settings;
  }
}

/**
 * Validates the text of a settings file. `file` is only used in the problems
 * (file:line:column). Never throws: bad input gives defaults plus problems.
 */
export function validateSettingsText(text: string, file: string): SettingsResult {
  const validator = new Validator(file);
  // Editors hide a BOM; dropping it keeps line 1's columns the ones the user sees.
  const document = readDocument(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (document.root === null) {
    for (const { at, reason } of document.syntax) validator.report(at, `${reason}; all settings use their defaults until this is fixed`);
    return { settings: defaultSettings(), problems: validator.problems };
  }
  const settings = validator.settings(document.root);
  return { settings, problems: validator.problems };
}

/** Formats a problem the way compilers do: file:line:column: message. */
export function formatProblem(p: SettingsProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.message}`;
}
