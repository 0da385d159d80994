// The JSON Schema of settings.json, for editors: completion, hovers and
// squiggles while the file is written. Built from the rules validate.ts
// applies (keys, ranges, patterns, enums) and from defaultSettings(), so
// an editor flags what Modus would report. Chords are described, not
// patterned: their grammar (aliases, named keys) lives in chords.ts.

import { GPU_ACCELERATION_VALUES, type KeyAction, type Palette, type Settings } from '../protocol.js';
import { defaultSettings, DEFAULT_KEYBINDINGS, FONT_SIZE_RANGE, KEY_ACTIONS, SCROLLBACK_RANGE } from './defaults.js';
import { ANSI_COLOUR_COUNT, FONT_FAMILY_MAX_LENGTH, OPACITY_RANGE, PALETTE_KEYS, PATTERNS, SCHEMA_KEY, SETTING_KEYS } from './validate.js';

export const SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

export type JsonSchemaType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

/** The part of draft-07 this schema uses, plus the two keywords VS Code reads for JSON with comments. */
export interface JsonSchema {
  $schema?: string;
  title?: string;
  description?: string;
  type?: JsonSchemaType | JsonSchemaType[];
  enum?: readonly unknown[];
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
  allOf?: JsonSchema[];
  /** VS Code: do not flag comments (Modus reads them as VS Code does). */
  allowComments?: boolean;
  /** VS Code: do not flag trailing commas. */
  allowTrailingCommas?: boolean;
}

const SETTING_DESCRIPTIONS: Record<keyof Settings, string> = {
  fontFamily: 'The terminal font, as a CSS font-family list; the first installed font is used.',
  fontSize: `The font size in points (1pt = 1/72 in), from ${FONT_SIZE_RANGE.min} to ${FONT_SIZE_RANGE.max}.`,
  palette: 'The terminal colours, each written #rrggbb. Entries left out keep their defaults.',
  opacity: `Background opacity, from ${OPACITY_RANGE.min} (transparent) to ${OPACITY_RANGE.max} (opaque).`,
  scrollback: `Lines kept above the screen in each terminal, from ${SCROLLBACK_RANGE.min} to ${SCROLLBACK_RANGE.max}.`,
  shell: 'The program new terminals run, e.g. "/bin/zsh"; null runs $SHELL (or /bin/sh).',
  shellArgs: 'Arguments for the shell, e.g. ["-l"] for a login shell.',
  keybindings:
    'Key chords for actions: modifiers (Ctrl, Alt, Shift, Meta) and one key joined by "+", e.g. "Ctrl+Shift+T"; "" or null unbinds. ' +
    'Printable keys need Ctrl, Alt or Meta. Actions left out keep their default chords; one chord can serve one action only.',
  gpuAcceleration:
    'The terminal renderer: "auto" draws with WebGL on a real GPU and with the DOM renderer where WebGL would be rasterised in software; ' +
    '"on" always tries WebGL; "off" always uses the DOM renderer.',
  sshConfig:
    'The ssh_config file for SSH tabs (run as "ssh -F FILE HOST") and for the host names the SSH tab picker lists, an absolute path or one starting with "~/"; ' +
    'null uses ~/.ssh/config as plain ssh does.',
  shellIntegration:
    'bash and zsh started by Modus report their prompts, commands, exit statuses and working directory (OSC 133 and OSC 7), so terminals mark each command and can send it to a notebook. Your rc files are read as usual and never changed. false: shells start exactly as configured.',
  sshShellIntegration:
    'SSH tabs start the remote shell with the same integration as local shells when the remote login shell is bash or zsh: the script travels with the ssh command line (so ssh runs a command, with -t), runs in the remote shell after your own profile and rc files, and leaves no file behind. ' +
    'Any other login shell starts as usual, with a note in the tab. Off by default because it runs Modus\'s script on the remote host.',
  inventory:
    'An inventory YAML file (hosts: and groups:, as notebooks use) whose Linux hosts the SSH tab picker lists, an absolute path or one starting with "~/"; null lists none.',
};

const PALETTE_DESCRIPTIONS: Record<keyof Palette, string> = {
  foreground: 'The colour of text.',
  background: 'The colour behind text (see opacity).',
  cursor: 'The colour of the cursor.',
  selection: 'The colour behind selected text.',
  ansi: `The ${ANSI_COLOUR_COUNT} ANSI colours: black, red, green, yellow, blue, magenta, cyan, white, then their bright versions.`,
};

const ACTION_DESCRIPTIONS: Record<KeyAction, string> = {
  newTab: 'Open a new tab.',
  closeTab: 'Close the focused pane (its tab, when it is the only one).',
  copy: 'Copy the selection.',
  paste: 'Paste from the clipboard.',
  find: 'Search the terminal\'s text.',
  nextTab: 'Go to the next tab.',
  previousTab: 'Go to the previous tab.',
  splitRight: 'Split the focused pane, the new one on the right.',
  splitDown: 'Split the focused pane, the new one below.',
  focusNextPane: 'Move the focus to the next pane.',
  zoomIn: 'Make the text bigger.',
  zoomOut: 'Make the text smaller.',
  zoomReset: 'Back to the text size of fontSize.',
  complete: 'Complete the word before the cursor from the words on screen in all terminals; press again for the next match.',
  newSshTab: 'Open a new SSH tab: pick a host from the inventory and ssh config, or type one.',
  openNotebook: 'Open a notebook (a Markdown file) in a new tab.',
  saveNotebook: 'Save the notebook of the active tab (notebook tabs only).',
  runAll: 'Run every block of the active notebook, stopping at the first that does not pass (notebook tabs only).',
  stopRuns: 'Stop the runs of the active notebook (notebook tabs only).',
  previousCommand: 'Scroll the terminal to the previous command\'s prompt (shell integration).',
  nextCommand: 'Scroll the terminal to the next command\'s prompt (shell integration).',
  sendToNotebook: 'Send the terminal\'s last command (or ones picked from its recent commands) with its output to a notebook, as a block and its results.',
  recordToNotebook: 'Start or stop recording: every command of the terminal is appended to a notebook as it ends.',
};

function colour(description: string, fallback: string): JsonSchema {
  return { description, type: 'string', pattern: PATTERNS.colour, default: fallback };
}

function filePath(description: string, fallback: string | null): JsonSchema {
  return { description, type: ['string', 'null'], allOf: [{ pattern: PATTERNS.filePath }, { pattern: PATTERNS.noNul }], default: fallback };
}

function paletteSchema(defaults: Palette): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const key of PALETTE_KEYS) {
    properties[key] = key === 'ansi'
      ? {
          description: PALETTE_DESCRIPTIONS.ansi,
          type: 'array',
          items: { type: 'string', pattern: PATTERNS.colour },
          minItems: ANSI_COLOUR_COUNT,
          maxItems: ANSI_COLOUR_COUNT,
          default: defaults.ansi,
        }
      : colour(PALETTE_DESCRIPTIONS[key], defaults[key]);
  }
  return { description: SETTING_DESCRIPTIONS.palette, type: 'object', properties, additionalProperties: false, default: defaults };
}

function keybindingsSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const action of KEY_ACTIONS) {
    properties[action] = { description: ACTION_DESCRIPTIONS[action], type: ['string', 'null'], default: DEFAULT_KEYBINDINGS[action] };
  }
  return { description: SETTING_DESCRIPTIONS.keybindings, type: 'object', properties, additionalProperties: false, default: { ...DEFAULT_KEYBINDINGS } };
}

function settingSchemas(defaults: Settings): Record<keyof Settings, JsonSchema> {
  const d = SETTING_DESCRIPTIONS;
  return {
    fontFamily: { description: d.fontFamily, type: 'string', pattern: PATTERNS.nonBlank, maxLength: FONT_FAMILY_MAX_LENGTH, default: defaults.fontFamily },
    fontSize: { description: d.fontSize, type: 'number', minimum: FONT_SIZE_RANGE.min, maximum: FONT_SIZE_RANGE.max, default: defaults.fontSize },
    palette: paletteSchema(defaults.palette),
    opacity: { description: d.opacity, type: 'number', minimum: OPACITY_RANGE.min, maximum: OPACITY_RANGE.max, default: defaults.opacity },
    scrollback: { description: d.scrollback, type: 'integer', minimum: SCROLLBACK_RANGE.min, maximum: SCROLLBACK_RANGE.max, default: defaults.scrollback },
    // "pattern" applies to strings only, so null passes both.
    shell: { description: d.shell, type: ['string', 'null'], allOf: [{ pattern: PATTERNS.nonBlank }, { pattern: PATTERNS.noNul }], default: defaults.shell },
    shellArgs: { description: d.shellArgs, type: 'array', items: { type: 'string', pattern: PATTERNS.noNul }, default: defaults.shellArgs },
    keybindings: keybindingsSchema(),
    gpuAcceleration: { description: d.gpuAcceleration, type: 'string', enum: [...GPU_ACCELERATION_VALUES], default: defaults.gpuAcceleration },
    sshConfig: filePath(d.sshConfig, defaults.sshConfig),
    inventory: filePath(d.inventory, defaults.inventory),
    shellIntegration: { description: d.shellIntegration, type: 'boolean', default: defaults.shellIntegration },
    sshShellIntegration: { description: d.sshShellIntegration, type: 'boolean', default: defaults.sshShellIntegration },
  };
}

/** The schema of settings.json, as a plain object ready for JSON.stringify. */
export function settingsSchema(): JsonSchema {
  const bySetting = settingSchemas(defaultSettings());
  const properties: Record<string, JsonSchema> = {
    [SCHEMA_KEY]: { description: 'The path or URL of this schema, for editors; Modus ignores it.', type: 'string' },
  };
  for (const key of SETTING_KEYS) properties[key] = bySetting[key];
  return {
    $schema: SCHEMA_DIALECT,
    title: 'Modus settings',
    description: 'settings.json of Modus, the terminal and notebook app. Applied live when saved; a value Modus cannot use falls back to its default and is reported as settings.json:LINE:COL.',
    type: 'object',
    properties,
    additionalProperties: false,
    allowComments: true,
    allowTrailingCommas: true,
  };
}
