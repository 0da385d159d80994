import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { settingsSchema, SCHEMA_DIALECT, type JsonSchema, type JsonSchemaType } from '../../../main/settings/settings-schema.js';
import { validateSettingsText } from '../../../main/settings/validate.js';
import { defaultSettings, DEFAULT_KEYBINDINGS, FONT_SIZE_RANGE, KEY_ACTIONS, SCROLLBACK_RANGE } from '../../../main/settings/defaults.js';
import { GPU_ACCELERATION_VALUES } from '../../../main/protocol.js';

// A checker for exactly the keywords the schema uses. Any other keyword fails
// the test below, so the checker cannot silently skip a constraint.
const CHECKED_KEYWORDS = new Set([
  'type', 'enum', 'pattern', 'maxLength', 'minimum', 'maximum', 'items', 'minItems', 'maxItems', 'properties', 'additionalProperties', 'allOf',
]);
const ANNOTATIONS = new Set(['$schema', 'title', 'description', 'default', 'allowComments', 'allowTrailingCommas']);

function jsonType(value: unknown): JsonSchemaType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonSchemaType;
}

/** What `value` breaks of `schema`, one line per broken rule; [] when it is valid. */
function violations(schema: JsonSchema, value: unknown, path = '$'): string[] {
  const out: string[] = [];
  if (schema.type !== undefined) {
    const allowed = [schema.type].flat();
    const got = jsonType(value);
    if (!allowed.includes(got) && !(got === 'integer' && allowed.includes('number'))) return [`${path}: ${got}, not ${allowed.join(' or ')}`];
  }
  if (schema.enum && !schema.enum.some((e) => isDeepStrictEqual(e, value))) out.push(`${path}: not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) out.push(`${path}: does not match ${schema.pattern}`);
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) out.push(`${path}: longer than ${schema.maxLength}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) out.push(`${path}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) out.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) out.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) out.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((item, i) => out.push(...violations(schema.items!, item, `${path}[${i}]`)));
  }
  if (jsonType(value) === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const sub = schema.properties?.[key];
      if (sub) out.push(...violations(sub, item, `${path}.${key}`));
      else if (schema.additionalProperties === false) out.push(`${path}: no property ${key}`);
    }
  }
  for (const sub of schema.allOf ?? []) out.push(...violations(sub, value, path));
  return out;
}

function* subschemas(schema: JsonSchema, path = '$'): Generator<[string, JsonSchema]> {
  yield [path, schema];
  for (const [key, sub] of Object.entries(schema.properties ?? {})) yield* subschemas(sub, `${path}.${key}`);
  if (schema.items) yield* subschemas(schema.items, `${path}[]`);
  for (const [i, sub] of (schema.allOf ?? []).entries()) yield* subschemas(sub, `${path}.allOf[${i}]`);
}

const schema = settingsSchema();
const props = schema.properties!;

test('the schema is draft-07, describes one closed object, and tells VS Code that comments and trailing commas are fine', () => {
  assert.equal(schema.$schema, SCHEMA_DIALECT);
  assert.equal(SCHEMA_DIALECT, 'http://json-schema.org/draft-07/schema#');
  assert.equal(schema.title, 'Modus settings');
  assert.equal(schema.type, 'object');
  assert.equal(schema.additionalProperties, false);
  assert.equal(schema.allowComments, true);
  assert.equal(schema.allowTrailingCommas, true);
  assert.deepEqual(JSON.parse(JSON.stringify(schema)), schema, 'the schema survives JSON (no undefined, functions or RegExp objects)');
});

test('the schema uses only keywords the checker in this test understands', () => {
  for (const [path, sub] of subschemas(schema)) {
    for (const keyword of Object.keys(sub)) assert.ok(CHECKED_KEYWORDS.has(keyword) || ANNOTATIONS.has(keyword), `${path} uses ${keyword}`);
  }
});

test('every key the validator knows is in the schema, and every key of the schema is known to the validator', () => {
  const known = (text: string): boolean => !validateSettingsText(text, 'settings.json').problems.some((p) => /unknown (setting|palette entry|action)/.test(p.message));
  const d = defaultSettings();
  assert.deepEqual(Object.keys(props), ['$schema', ...Object.keys(d)]);
  for (const key of Object.keys(props)) assert.ok(known(JSON.stringify({ [key]: key === '$schema' ? './s.json' : d[key as keyof typeof d] })), key);
  assert.ok(!known('{ "fontsize": 12 }'), 'a key outside the schema is unknown to the validator too');

  assert.deepEqual(Object.keys(props.palette!.properties!), Object.keys(d.palette));
  for (const key of Object.keys(d.palette)) assert.ok(known(JSON.stringify({ palette: { [key]: d.palette[key as keyof typeof d.palette] } })), key);
  assert.ok(!known('{ "palette": { "bold": "#ffffff" } }'));

  assert.deepEqual(Object.keys(props.keybindings!.properties!), KEY_ACTIONS);
  for (const action of KEY_ACTIONS) assert.ok(known(JSON.stringify({ keybindings: { [action]: null } })), action);
  assert.ok(!known('{ "keybindings": { "splitRght": null } }'));
});

test('every setting is described, every object is closed', () => {
  for (const [path, sub] of subschemas(schema)) {
    const isItemOrPart = path.endsWith('[]') || path.includes('allOf');
    if (!isItemOrPart) assert.ok(sub.description && sub.description.length > 10, `${path} has a description`);
    if (sub.type === 'object') assert.equal(sub.additionalProperties, false, `${path} is closed`);
  }
});

test('defaultSettings() is valid against the schema, and each default in the schema is the one Modus uses', () => {
  const d = defaultSettings();
  assert.deepEqual(violations(schema, d), []);
  for (const [key, value] of Object.entries(d)) assert.deepEqual(props[key]!.default, value, key);
  for (const [key, value] of Object.entries(d.palette)) assert.deepEqual(props.palette!.properties![key]!.default, value, `palette.${key}`);
  for (const action of KEY_ACTIONS) assert.equal(props.keybindings!.properties![action]!.default, DEFAULT_KEYBINDINGS[action], action);
  for (const [path, sub] of subschemas(schema)) {
    if (sub.default !== undefined) assert.deepEqual(violations(sub, sub.default), [], `${path}'s default is valid`);
  }
});

test('enums, ranges and patterns come from the constants the validator uses', () => {
  assert.deepEqual(props.gpuAcceleration!.enum, GPU_ACCELERATION_VALUES);
  assert.deepEqual([props.fontSize!.minimum, props.fontSize!.maximum], [FONT_SIZE_RANGE.min, FONT_SIZE_RANGE.max]);
  assert.deepEqual([props.scrollback!.type, props.scrollback!.minimum, props.scrollback!.maximum], ['integer', SCROLLBACK_RANGE.min, SCROLLBACK_RANGE.max]);
  assert.deepEqual([props.opacity!.minimum, props.opacity!.maximum], [0, 1]);
  const ansi = props.palette!.properties!.ansi!;
  assert.deepEqual([ansi.minItems, ansi.maxItems], [16, 16]);
  assert.equal(ansi.items!.pattern, '^#[0-9a-fA-F]{6}$');
  assert.equal(props.palette!.properties!.background!.pattern, '^#[0-9a-fA-F]{6}$');
});

test('the schema rejects exactly the values the validator reports (chord grammar and clashes aside)', () => {
  const ansi = defaultSettings().palette.ansi;
  const samples: Record<string, unknown[]> = {
    $schema: ['./settings.schema.json', 3, null],
    fontFamily: ['Mono', '"Fira Code", monospace', '', '   ', 'x'.repeat(1024), 'x'.repeat(1025), 12, null],
    fontSize: [6, 72, 13.5, 5.9, 72.1, '12', null],
    opacity: [0, 1, 0.5, -0.1, 1.01, true],
    scrollback: [0, 1_000_000, 500, 2.5, -1, 1_000_001, '1'],
    shell: [null, '/bin/zsh', '', ' ', 'a\0b', 3, []],
    shellArgs: [[], ['-l'], ['a\0'], [3], '-l', null],
    palette: [
      {}, { background: '#000000' }, { background: '#ABCDEF' }, { background: '#00000' }, { background: 'black' }, { bold: '#000000' },
      { ansi }, { ansi: ansi.slice(1) }, { ansi: [...ansi, '#000000'] }, { ansi: ansi.map((c, i) => (i === 3 ? 'red' : c)) }, [], 'dark',
    ],
    keybindings: [{}, { newTab: 'Ctrl+Alt+T' }, { newTab: null }, { newTab: '' }, { newTab: 3 }, { newTabb: 'Ctrl+Alt+T' }, []],
    gpuAcceleration: [...GPU_ACCELERATION_VALUES, 'Off', 'gpu', true],
    sshConfig: [null, '~/.ssh/lab_config', '/etc/ssh/ssh_config', 'C:\\Users\\ann\\ssh_config', 'lab_config', './ssh_config', '~', '~ann/x', '', ' ', '/a\0b', 3, []],
    inventory: [null, '~/lab/inventory.yaml', '/srv/inventory.yaml', 'inventory.yaml', '', '/x\0', false, {}],
    fontsize: [12],
  };
  for (const [key, values] of Object.entries(samples)) {
    for (const value of values) {
      const settings = { [key]: value };
      const reported = validateSettingsText(JSON.stringify(settings), 'settings.json').problems.map((p) => p.message);
      const rejected = violations(schema, settings);
      assert.equal(rejected.length > 0, reported.length > 0, `${JSON.stringify(settings)}: schema says ${JSON.stringify(rejected)}, Modus says ${JSON.stringify(reported)}`);
    }
  }
});
