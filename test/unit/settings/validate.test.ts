import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { validateSettingsText, formatProblem } from '../../../main/settings/validate.js';
import { defaultSettings } from '../../../main/settings/defaults.js';

const FILE = '/home/ann/.config/modus/settings.json';
const check = (text: string): { settings: ReturnType<typeof defaultSettings>; problems: string[] } => {
  const r = validateSettingsText(text, FILE);
  return { settings: r.settings, problems: r.problems.map(formatProblem) };
};

test('a valid file is applied, chords normalised, no problems', () => {
  const { settings, problems } = check(`{
  "fontFamily": "Iosevka Term",
  "fontSize": 13.5,
  "opacity": 0.9,
  "scrollback": 50000,
  "shell": "/bin/zsh",
  "shellArgs": ["-l"],
  "palette": { "background": "#000000", "foreground": "#FFFFFF" },
  "keybindings": { "newTab": "ctrl+shift+n", "focusNextPane": "Alt+Right" }
}`);
  assert.deepEqual(problems, []);
  assert.equal(settings.fontFamily, 'Iosevka Term');
  assert.equal(settings.fontSize, 13.5);
  assert.equal(settings.opacity, 0.9);
  assert.equal(settings.scrollback, 50000);
  assert.equal(settings.shell, '/bin/zsh');
  assert.deepEqual(settings.shellArgs, ['-l']);
  assert.equal(settings.palette.background, '#000000');
  assert.equal(settings.palette.foreground, '#ffffff');
  assert.deepEqual(settings.palette.ansi, defaultSettings().palette.ansi, 'unset palette entries keep their defaults');
  assert.equal(settings.keybindings.newTab, 'Ctrl+Shift+N');
  assert.equal(settings.keybindings.focusNextPane, 'Alt+ArrowRight');
  assert.equal(settings.keybindings.closeTab, 'Ctrl+Shift+W');
});

test('a missing-comma syntax error is reported at its line and column; everything falls back to defaults', () => {
  const { settings, problems } = check('{\n  "fontSize": 14\n  "opacity": 0.5\n}\n');
  assert.deepEqual(problems, [
    `${FILE}:3:3: expected "," or "}" after the value of "fontSize", found "\\""; all settings use their defaults until this is fixed`,
  ]);
  assert.deepEqual(settings, defaultSettings());
});

test('syntax errors name what is wrong and where', () => {
  const cases: [string, string][] = [
    ['{ "shell": \'/bin/zsh\' }', "1:12: strings must use double quotes in JSON"],
    ['{ "fontFamily": "Mono }', '1:17: unterminated string: add the closing "'],
    ['{\n  "fontFamily": "Mono,\n  "fontSize": 12\n}', '2:17: unterminated string: a line break inside a string (add the closing " or write \\n)'],
    ['', '1:1: the file is empty; write a JSON object such as {}'],
    ['// nothing yet\n/* really */\n', '1:1: the file holds only comments; write a JSON object such as {}'],
    ['{ "fontSize": 12 } x', '1:20: unexpected "x" after the end of the JSON value'],
    ['{ "fontSize": 012 }', '1:15: malformed number'],
    ['\ufeff{\n\t"fontSize": tru }', '2:14: expected a value, found "t"'],
    ['{\n  fontSize: 12\n}', '2:3: keys must be in double quotes: write "fontSize"'],
    ['{\n  "fontSize" 12\n}', '2:14: expected ":" after the key "fontSize", found "1"'],
    ['{\n  "shellArgs": ["-l" "-i"]\n}', '2:22: expected "," or "]" in the list opened at 2:16, found "\\""'],
    ['{\n  "shellArgs": ["-l",\n  "fontSize": 12\n}', '3:13: expected "," or "]" in the list opened at 2:16, found ":"'],
    ['{\n  "palette": {\n    "background": "#000000"\n}\n', '5:1: the file ends before the "}" that closes the object opened at 1:1'],
    ['{\n  "fontSize": 12\n  /* the rest later\n}', '3:3: unterminated comment: add the closing */'],
    ['{ "shell": "C:\\Windows\\cmd.exe" }', '1:15: invalid escape \\W in a string; write \\\\ for a backslash (e.g. "C:\\\\Users")'],
    ['{ "fontFamily": "Mono\tSans" }', '1:22: a tab inside a string; write it as \\t'],
    ['{ "a": 1,, "b": 2 }', '1:10: expected a key in double quotes, found ","'],
    ['{"palette": ' + '['.repeat(70) + ']'.repeat(70) + '}', '1:76: values nested deeper than 64 levels'],
  ];
  for (const [text, expected] of cases) {
    const { settings, problems } = check(text);
    assert.deepEqual(problems, [`${FILE}:${expected}; all settings use their defaults until this is fixed`], JSON.stringify(text));
    assert.deepEqual(settings, defaultSettings(), JSON.stringify(text));
  }
});

test('several syntax errors are each reported at their place, once', () => {
  const { settings, problems } = check([
    '{',
    '  fontSize: 14,',
    '  "opacity": 0.5',
    '  "scrollback": tru,',
    '  "shell": \'/bin/zsh\'',
    '}',
  ].join('\n'));
  assert.deepEqual(problems, [
    `${FILE}:2:3: keys must be in double quotes: write "fontSize"; all settings use their defaults until this is fixed`,
    `${FILE}:4:3: expected "," or "}" after the value of "opacity", found "\\""; all settings use their defaults until this is fixed`,
    `${FILE}:4:17: expected a value, found "t"; all settings use their defaults until this is fixed`,
    `${FILE}:5:12: strings must use double quotes in JSON; all settings use their defaults until this is fixed`,
  ]);
  assert.deepEqual(settings, defaultSettings(), 'nothing of a file with a syntax error is applied');
});

test('a file full of mistakes gets its first 50 and a note where the rest begin', () => {
  const { problems } = check(`{\n${'  "fontSize": tru,\n'.repeat(60)}}`);
  assert.equal(problems.length, 51);
  assert.equal(problems[49], `${FILE}:51:15: expected a value, found "t"; all settings use their defaults until this is fixed`);
  assert.equal(problems[50], `${FILE}:52:15: stopped after 50 syntax errors; more follow from here (is this the settings file?); all settings use their defaults until this is fixed`);
});

test('comments and trailing commas are accepted, as in VS Code\'s settings, and the settings apply', () => {
  const { settings, problems } = check(`// Modus settings
{
  /* the font */
  "fontFamily": "Iosevka Term", // narrow
  "fontSize": 13, /* points */
  "shellArgs": ["-l", "-i",],
  "palette": {
    "background": "#101010", // almost black
  },
  "keybindings": { "newTab": "Ctrl+Alt+T", /* "closeTab": "Ctrl+Alt+W" */ },
  // "opacity": 0.5,
}
/* end */
`);
  assert.deepEqual(problems, []);
  assert.equal(settings.fontFamily, 'Iosevka Term');
  assert.equal(settings.fontSize, 13);
  assert.deepEqual(settings.shellArgs, ['-l', '-i']);
  assert.equal(settings.palette.background, '#101010');
  assert.equal(settings.keybindings.newTab, 'Ctrl+Alt+T');
  assert.equal(settings.keybindings.closeTab, defaultSettings().keybindings.closeTab, 'a commented-out binding is not applied');
  assert.equal(settings.opacity, 1, 'a commented-out setting is not applied');
});

test('problems after comments are positioned in the file as written', () => {
  const { problems } = check([
    '{',
    '  /* Font settings,',
    '     tried a few sizes */',
    '  "fontFamily": "Mono", // ok',
    '  "fontSize": 100, /* too big */ "opacity": 2,',
    '  // "scrollback": 5,',
    '  "scrollbak": 5',
    '}',
  ].join('\n'));
  assert.deepEqual(problems, [
    `${FILE}:5:15: fontSize must be a number from 6 to 72 (points), got 100; using 11`,
    `${FILE}:5:45: opacity must be a number from 0 to 1 (background opacity, 1 = opaque), got 2; using 1`,
    `${FILE}:7:3: unknown setting "scrollbak" (did you mean "scrollback"?); known settings: fontFamily, fontSize, palette, opacity, scrollback, shell, shellArgs, keybindings, gpuAcceleration, sshConfig, inventory, shellIntegration, sshShellIntegration`,
  ]);
});

test('columns are counted as the editor shows them: a BOM is not a column, CRLF and tabs are one line end and one column', () => {
  assert.deepEqual(check('\ufeff{ "fontSize": 100 }').problems, [`${FILE}:1:15: fontSize must be a number from 6 to 72 (points), got 100; using 11`]);
  assert.deepEqual(check('\ufeff{\r\n\t"fontSize": 100\r\n}').problems, [`${FILE}:2:14: fontSize must be a number from 6 to 72 (points), got 100; using 11`]);
  assert.deepEqual(check('{\r  "fontSize": 100\r}').problems, [`${FILE}:2:15: fontSize must be a number from 6 to 72 (points), got 100; using 11`], 'a lone CR ends a line, as in editors');
  // Columns are UTF-16 code units: "é" is one, the emoji two.
  assert.deepEqual(check('{ "fontFamily": "é😀", "fontSize": 1 }').problems, [`${FILE}:1:36: fontSize must be a number from 6 to 72 (points), got 1; using 11`]);
});

test('"$schema" for editors is accepted and ignored; a non-string one is reported', () => {
  const ok = check('{ "$schema": "./settings.schema.json", "fontSize": 12 }');
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.settings.fontSize, 12);
  assert.match(check('{ "$shema": "./s.json" }').problems[0]!, /unknown setting "\$shema" \(did you mean "\$schema"\?\)/);
  assert.deepEqual(check('{ "$schema": 1 }').problems, [`${FILE}:1:14: $schema must be a string (the path or URL of the settings schema, for editors), not a number; it is ignored`]);
});

test('any text gives settings and positioned problems, never an exception', () => {
  const valid = '{\n  "fontSize": 12, // c\n  "palette": { "ansi": ["#000000"] },\n  "keybindings": { "newTab": "Ctrl+T" },\n  /* x */ "shellArgs": ["-l",],\n}\n';
  const pieces = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', "'", '/*', '*/', '//', '\n', '\r\n', ' ', '\\', 'tru', '0', '-', '1e9', '"fontSize"', '"a"', '\ufeff', '\t');
  const texts = fc.oneof(
    fc.string(),
    fc.array(pieces, { maxLength: 40 }).map((p) => p.join('')),
    fc.tuple(fc.nat(valid.length), fc.nat(6), fc.array(pieces, { maxLength: 3 })).map(([at, cut, insert]) => valid.slice(0, at) + insert.join('') + valid.slice(at + cut)),
  );
  fc.assert(
    fc.property(texts, (text) => {
      const result = validateSettingsText(text, FILE);
      const lines = text.split(/\r\n|\r|\n/);
      for (const p of result.problems) {
        assert.ok(p.line >= 1 && p.line <= lines.length, `line ${p.line} of ${lines.length}: ${p.message}`);
        assert.ok(p.column >= 1 && p.column <= lines[p.line - 1]!.length + 1, `column ${p.column}: ${p.message}`);
      }
      if (result.problems.some((p) => p.message.endsWith('until this is fixed'))) assert.deepEqual(result.settings, defaultSettings());
    }),
    { numRuns: 2000 },
  );
});

test('each schema error is positioned at the offending key or value and the rest of the file still applies', () => {
  const text = [
    '{',                                                   // 1
    '  "fontsize": 12,',                                   // 2 unknown key
    '  "fontSize": 200,',                                  // 3 out of range
    '  "opacity": "half",',                                // 4 wrong type
    '  "scrollback": 2.5,',                                // 5 not whole
    '  "palette": {',                                      // 6
    '    "background": "#12345",',                         // 7 bad colour
    '    "ansi": ["#000000", "#ffffff"],',                 // 8 not 16
    '    "bold": "#ffffff"',                               // 9 unknown palette key
    '  },',                                                // 10
    '  "shellArgs": ["-l", 3],',                           // 11 non-string arg
    '  "keybindings": {',                                  // 12
    '    "newTab": "Ctrl+Shift+",',                        // 13 bad chord
    '    "find": "Hyper+F",',                              // 14 bad modifier
    '    "copy": "Ctrl+Shift+V",',                         // 15 takes paste's default chord
    '    "zoomIn": "Ctrl+Shift+V",',                       // 16 duplicate of an explicit chord
    '    "splitRght": "Ctrl+Shift+E",',                    // 17 unknown action
    '    "complete": "a"',                                 // 18 steals typing
    '  },',                                                // 19
    '  "fontFamily": "Fira Code"',                         // 20 valid, applied
    '}',
  ].join('\n');
  const { settings, problems } = check(text);
  assert.deepEqual(problems, [
    `${FILE}:2:3: unknown setting "fontsize" (did you mean "fontSize"?); known settings: fontFamily, fontSize, palette, opacity, scrollback, shell, shellArgs, keybindings, gpuAcceleration, sshConfig, inventory, shellIntegration, sshShellIntegration`,
    `${FILE}:3:15: fontSize must be a number from 6 to 72 (points), got 200; using 11`,
    `${FILE}:4:14: opacity must be a number from 0 to 1 (background opacity, 1 = opaque), not a string; using 1`,
    `${FILE}:5:17: scrollback must be a whole number from 0 to 1000000 (lines), got 2.5; using 10000`,
    `${FILE}:7:19: palette.background must be a colour written #rrggbb (e.g. "#1e1e1e"), not "#12345"; using #1c1c1e`,
    `${FILE}:8:13: palette.ansi must list exactly 16 colours (black, red, green, yellow, blue, magenta, cyan, white, then their bright versions), got 2; using the default colours`,
    `${FILE}:9:5: unknown palette entry "bold"; known entries: foreground, background, cursor, selection, ansi`,
    `${FILE}:11:23: shellArgs must contain only strings, not a number; using []`,
    `${FILE}:13:15: keybindings.newTab: "Ctrl+Shift+" has an empty part; write modifiers and one key joined by "+", e.g. "Ctrl+Shift+T"; using "Ctrl+Shift+T"`,
    `${FILE}:14:13: keybindings.find: "Hyper" is not a modifier (use Ctrl, Alt, Shift or Meta), or a chord has only one key; using "Ctrl+Shift+F"`,
    `${FILE}:17:5: unknown action "splitRght" in keybindings (did you mean "splitRight"?); actions: newTab, closeTab, copy, paste, find, nextTab, previousTab, splitRight, splitDown, focusNextPane, zoomIn, zoomOut, zoomReset, complete, newSshTab, openNotebook, saveNotebook, runAll, stopRuns, previousCommand, nextCommand, sendToNotebook, recordToNotebook`,
    `${FILE}:18:17: keybindings.complete: "a" would take a key away from typing; add Ctrl, Alt or Meta; using "Alt+/"`,
    `${FILE}:16:15: keybindings.zoomIn: "Ctrl+Shift+V" is already bound to copy; zoomIn is left unbound`,
    `${FILE}:15:13: keybindings.copy: "Ctrl+Shift+V" is also the default chord of paste, which is now unbound (give paste another chord to keep it)`,
  ]);
  const d = defaultSettings();
  assert.equal(settings.fontSize, d.fontSize);
  assert.equal(settings.opacity, d.opacity);
  assert.equal(settings.scrollback, d.scrollback);
  assert.equal(settings.palette.background, d.palette.background);
  assert.deepEqual(settings.palette.ansi, d.palette.ansi);
  assert.deepEqual(settings.shellArgs, []);
  assert.equal(settings.fontFamily, 'Fira Code', 'valid settings next to broken ones still apply');
  assert.equal(settings.keybindings.newTab, 'Ctrl+Shift+T');
  assert.equal(settings.keybindings.find, 'Ctrl+Shift+F');
  assert.equal(settings.keybindings.copy, 'Ctrl+Shift+V');
  assert.equal(settings.keybindings.paste, '');
  assert.equal(settings.keybindings.zoomIn, '');
  assert.equal(settings.keybindings.complete, 'Alt+/');
});

test('a key set twice is reported at the second occurrence; the last value wins, as in JSON.parse', () => {
  const { settings, problems } = check('{\n  "fontSize": 12,\n  "fontSize": 14\n}');
  assert.deepEqual(problems, [`${FILE}:3:3: "fontSize" is set twice; the last one is used`]);
  assert.equal(settings.fontSize, 14);
});

test('a bad entry inside ansi falls back for that entry only', () => {
  const ansi = Array.from({ length: 16 }, (_, i) => `"#0000${i.toString(16).padStart(2, '0')}"`);
  ansi[5] = '"red"';
  const { settings, problems } = check(`{"palette": {"ansi": [${ansi.join(', ')}]}}`);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /^.*:1:\d+: palette\.ansi\[5\] must be a colour written #rrggbb \(e\.g\. "#1e1e1e"\), not "red"; using #a767a7$/);
  assert.equal(settings.palette.ansi[4], '#000004');
  assert.equal(settings.palette.ansi[5], defaultSettings().palette.ansi[5]);
});

test('the root must be an object; null and "" unbind a key; null shell means $SHELL', () => {
  assert.deepEqual(check('[1, 2]').problems, [`${FILE}:1:1: the settings file must hold one JSON object ({ ... }), not a list; using the defaults`]);
  const { settings, problems } = check('{"shell": null, "keybindings": {"find": null, "copy": ""}}');
  assert.deepEqual(problems, []);
  assert.equal(settings.shell, null);
  assert.equal(settings.keybindings.find, '');
  assert.equal(settings.keybindings.copy, '');
});

test('gpuAcceleration takes "auto", "on" or "off"; anything else is reported at its place and "auto" is kept', () => {
  assert.equal(check('{}').settings.gpuAcceleration, 'auto');
  assert.equal(check('{ "gpuAcceleration": "off" }').settings.gpuAcceleration, 'off');
  const misspelt = check('{\n  "gpuAcceleration": "Off"\n}');
  assert.deepEqual(misspelt.problems, [`${FILE}:2:22: gpuAcceleration "Off" is not one of "auto", "on", "off" (did you mean "off"?); using "auto"`]);
  assert.equal(misspelt.settings.gpuAcceleration, 'auto');
  const wrongType = check('{ "gpuAcceleration": true }');
  assert.equal(wrongType.problems.length, 1);
  assert.match(wrongType.problems[0]!, /^.*:1:22: gpuAcceleration must be one of "auto", "on", "off"/);
  assert.equal(wrongType.settings.gpuAcceleration, 'auto');
});

test('sshConfig and inventory take a path, absolute or from ~/, or null; anything else is reported at its place and null is kept', () => {
  const defaults = check('{}').settings;
  assert.equal(defaults.sshConfig, null, 'default: ~/.ssh/config, as plain ssh');
  assert.equal(defaults.inventory, null, 'default: no inventory');
  const set = check('{\n  "sshConfig": "~/.ssh/lab_config",\n  "inventory": "/srv/lab/inventory.yaml"\n}');
  assert.deepEqual(set.problems, []);
  assert.equal(set.settings.sshConfig, '~/.ssh/lab_config', 'kept as written; ~/ is expanded where the file is read');
  assert.equal(set.settings.inventory, '/srv/lab/inventory.yaml');
  assert.deepEqual(check('{ "sshConfig": null, "inventory": null }').problems, []);
  assert.deepEqual(check('{ "inventory": "C:\\\\lab\\\\inventory.yaml" }').problems, [], 'a Windows path is absolute too');

  const bad = check('{\n  "sshConfig": "lab_config",\n  "inventory": 3,\n  "sshConfig": "~",\n  "inventory": "",\n  "inventory": "/a\\u0000b"\n}');
  assert.deepEqual(bad.problems, [
    `${FILE}:4:3: "sshConfig" is set twice; the last one is used`,
    `${FILE}:5:3: "inventory" is set twice; the last one is used`,
    `${FILE}:6:3: "inventory" is set twice; the last one is used`,
    `${FILE}:2:16: sshConfig must be the path of an ssh_config file, absolute or starting with "~/" (e.g. "~/.ssh/lab_config"), or null for ~/.ssh/config, not "lab_config"; using null`,
    `${FILE}:3:16: inventory must be the path of an inventory YAML file, absolute or starting with "~/" (e.g. "~/lab/inventory.yaml"), or null for no inventory, not a number; using null`,
    `${FILE}:4:16: sshConfig must be the path of an ssh_config file, absolute or starting with "~/" (e.g. "~/.ssh/lab_config"), or null for ~/.ssh/config, not "~"; using null`,
    `${FILE}:5:16: inventory must be the path of an inventory YAML file, absolute or starting with "~/" (e.g. "~/lab/inventory.yaml"), or null for no inventory, not ""; using null`,
    `${FILE}:6:16: inventory must be the path of an inventory YAML file, absolute or starting with "~/" (e.g. "~/lab/inventory.yaml"), or null for no inventory, not "/a\\u0000b"; using null`,
  ]);
  assert.equal(bad.settings.sshConfig, null);
  assert.equal(bad.settings.inventory, null);
});

test('newSshTab is Ctrl+Shift+S by default, remappable and unbindable like any action', () => {
  assert.equal(check('{}').settings.keybindings.newSshTab, 'Ctrl+Shift+S');
  assert.equal(check('{ "keybindings": { "newSshTab": "ctrl+alt+s" } }').settings.keybindings.newSshTab, 'Ctrl+Alt+S');
  assert.equal(check('{ "keybindings": { "newSshTab": null } }').settings.keybindings.newSshTab, '');
  const taken = check('{\n  "keybindings": { "find": "Ctrl+Shift+S" }\n}');
  assert.deepEqual(taken.problems, [`${FILE}:2:28: keybindings.find: "Ctrl+Shift+S" is also the default chord of newSshTab, which is now unbound (give newSshTab another chord to keep it)`]);
  assert.equal(taken.settings.keybindings.newSshTab, '');
});
