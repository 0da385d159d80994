// The Junos simulator's configuration text: curly-brace parsing and
// printing (show configuration), | display set, set commands, and the
// syntax errors Junos would report.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCurly } from '../../junos-sim/config-parse.js';
import { printCurly, printSet } from '../../junos-sim/config-print.js';
import { applySetCommands } from '../../junos-sim/set-commands.js';
import { child, newRoot, type ConfigNode } from '../../junos-sim/config-tree.js';
import { defaultConfig } from '../../junos-sim/default-config.js';
import { EDGE_ROUTER } from './sample-configs.js';

function parsed(text: string): ConfigNode {
  const r = parseCurly(text);
  assert.deepEqual(r.errors, []);
  return r.tree;
}

function fromSet(lines: string): ConfigNode {
  const tree = newRoot();
  assert.deepEqual(applySetCommands(tree, lines), []);
  return tree;
}

const withoutAnnotations = (text: string) => text.replace(/^\s*\/\*.*\*\/\n/gm, '');

test('a realistic configuration prints back exactly as show configuration printed it', () => {
  assert.equal(printCurly(parsed(EDGE_ROUTER)), EDGE_ROUTER);
  assert.equal(printCurly(parsed(defaultConfig('r1'))), defaultConfig('r1'));
});

test('curly → display set → curly gives the same configuration (annotations have no set form)', () => {
  const set = printSet(parsed(EDGE_ROUTER).children);
  assert.equal(printCurly(fromSet(set)), withoutAnnotations(EDGE_ROUTER));
  assert.equal(printSet(fromSet(set).children), set);
});

test('display set writes one command per leaf, full paths, quotes where needed, deactivate after the subtree', () => {
  const set = printSet(parsed(EDGE_ROUTER).children).split('\n');
  for (const line of [
    'set interfaces ge-0/0/1 description "customer ACME [circuit 42]"',
    'set interfaces ge-0/0/1 unit 100 family inet address 198.51.100.1/30',
    'set protocols bgp group rr export NEXT-HOP-SELF',
    'set protocols bgp group rr export ANNOUNCE',
    'set protocols bgp group rr family inet unicast add-path send path-count 4',
    'set policy-options policy-statement TRANSIT-IN term bogons from route-filter 10.0.0.0/8 orlonger',
    'set policy-options as-path PRIVATE "^64[5-9][0-9][0-9]$"',
    'set firewall family inet filter CUSTOMER-IN term anti-spoof from source-address 198.51.100.0/30 except',
    'set system root-authentication encrypted-password "$6$abc$0123456789"',
  ]) {
    assert.ok(set.includes(line), `missing: ${line}`);
  }
  const unit200 = set.indexOf('set interfaces ge-0/0/1 unit 200 family inet address 198.51.100.5/30');
  assert.equal(set[unit200 + 1], 'deactivate interfaces ge-0/0/1 unit 200');
});

test('tags, annotations and comments: inactive/protect kept, # comments dropped, /* */ kept above their statement', () => {
  const tree = parsed(`# a comment line
/* the loopback */
interfaces {
    protect: lo0 {
        unit 0 {
            family inet {
                address 10.0.0.1/32; # trailing comment
            }
        }
    }
    inactive: ge-0/0/5 {
        disable;
    }
}
`);
  assert.equal(
    printCurly(tree),
    `/* the loopback */
interfaces {
    protect: lo0 {
        unit 0 {
            family inet {
                address 10.0.0.1/32;
            }
        }
    }
    inactive: ge-0/0/5 {
        disable;
    }
}
`,
  );
  assert.match(printSet(tree.children), /^protect interfaces lo0$/m);
});

test('curly text may give a path on one line, as `load` accepts', () => {
  const tree = parsed('interfaces ge-0/0/3 unit 0 family inet address 192.0.2.9/31;\nprotocols { bgp { group g { neighbor 192.0.2.8 peer-as 64500; } } }\n');
  assert.equal(printSet(tree.children), 'set interfaces ge-0/0/3 unit 0 family inet address 192.0.2.9/31\nset protocols bgp group g neighbor 192.0.2.8 peer-as 64500\n');
});

test('one-line forms: then accept, from protocol X, route R next-hop H, community C members M', () => {
  const text = printCurly(fromSet(['set policy-options policy-statement P term a from protocol bgp', 'set policy-options policy-statement P term a then accept', 'set routing-options static route 0.0.0.0/0 next-hop 192.0.2.1', 'set policy-options community C members 64500:1'].join('\n')));
  assert.match(text, /^ {12}from protocol bgp;$/m);
  assert.match(text, /^ {12}then accept;$/m);
  assert.match(text, /^ {8}route 0\.0\.0\.0\/0 next-hop 192\.0\.2\.1;$/m);
  assert.match(text, /^ {4}community C members 64500:1;$/m);
});

test('statements the schema does not know keep their shape through curly and set', () => {
  const text = `chassis {
    fpc 0 {
        pic 0 {
            tunnel-services {
                bandwidth 10g;
            }
        }
    }
    alarm {
        management-ethernet {
            link-down ignore;
        }
    }
}
`;
  const tree = parsed(text);
  assert.equal(printCurly(tree), text);
  const again = newRoot();
  applySetCommands(again, printSet(tree.children));
  assert.match(printSet(again.children), /^set chassis alarm management-ethernet link-down ignore$/m);
});

test('lists of values: [ a b ] in curly, one set line each, and they accumulate', () => {
  const tree = fromSet('set protocols bgp group g import A\nset protocols bgp group g import B\nset protocols bgp group g import A');
  assert.match(printCurly(tree), /import \[ A B \];/);
  const one = fromSet('set protocols bgp group g export ONLY');
  assert.match(printCurly(one), /export ONLY;/);
});

test('syntax errors name the hierarchy and the bad element', () => {
  const top = parseCurly('lldp {\n    interface all;\n}\nsystem { host-name r1; }\n');
  assert.equal(top.errors.length, 1);
  assert.deepEqual({ ...top.errors[0], line: undefined, column: undefined }, { severity: 'error', message: 'syntax error', path: [], badElement: 'lldp', line: undefined, column: undefined });
  assert.equal(top.errors[0]!.line, 1);
  // What parsed is kept (Junos loads the rest and reports the errors).
  assert.equal(child(top.tree, 'system')?.children[0]?.values[0], 'r1');

  const deep = parseCurly('protocols {\n    bgpp {\n        group x;\n    }\n}\n');
  assert.deepEqual(
    deep.errors.map((e) => [e.path, e.badElement, e.line]),
    [[['protocols'], 'bgpp', 2]],
  );
  const missingSemicolon = parseCurly('system {\n    host-name r1\n    domain-name example.net;\n}\n');
  assert.deepEqual(
    missingSemicolon.errors.map((e) => [e.path, e.badElement]),
    [[['system'], 'domain-name']],
  );
  const unbalanced = parseCurly('system {\n    host-name r1;\n');
  assert.equal(unbalanced.errors[0]?.message, "syntax error, expecting '}'");
  const range = parseCurly('protocols { bgp { group g { family inet { unicast { add-path { send { path-count 99; } } } } } } }');
  assert.deepEqual(
    range.errors.map((e) => [e.message, e.badElement]),
    [['Value 99 is not within range (2..64)', '99']],
  );
  const numeric = parseCurly('interfaces { ge-0/0/0 { unit x; } }');
  assert.equal(numeric.errors[0]?.message, "Invalid numeric value: 'x'");
});

test('set commands: edit levels, delete, deactivate, annotate, protect, and what fails', () => {
  const tree = fromSet(['edit protocols bgp group g', 'set type external', 'set neighbor 192.0.2.1 peer-as 64500', 'up 2', 'set lldp interface all', 'top', 'set system host-name r9'].join('\n'));
  assert.match(printSet(tree.children), /^set protocols bgp group g neighbor 192\.0\.2\.1 peer-as 64500$/m);
  assert.match(printSet(tree.children), /^set protocols lldp interface all$/m);
  assert.match(printSet(tree.children), /^set system host-name r9$/m);

  const problems = applySetCommands(
    tree,
    ['deactivate protocols lldp', 'annotate system "managed by modus"', 'delete protocols bgp group g neighbor 192.0.2.7', 'set protocolz x', 'set system host-name', 'rename system host-name to x', 'protect system', 'set system domain-name example.net'].join('\n'),
  );
  assert.deepEqual(
    problems.map((p) => [p.severity, p.message, p.path.join(' '), p.badElement ?? '', p.line]),
    [
      ['warning', 'statement not found', 'protocols bgp group g', '', 3],
      ['error', 'syntax error', '', 'protocolz', 4],
      ['error', 'syntax error, expecting <data>', 'system', 'host-name', 5],
      ['error', "'rename' is not supported by the Junos simulator in load set", '', 'rename', 6],
      ['error', "'system' is protected", '', '', 8],
    ],
  );
  const text = printCurly(tree);
  assert.match(text, /^inactive: lldp|^ {4}inactive: lldp \{/m);
  assert.match(text, /^\/\* managed by modus \*\/\nprotect: system \{/m);

  assert.deepEqual(applySetCommands(tree, 'unprotect system\ndelete protocols bgp group g type\ndelete system'), []);
  assert.equal(child(tree, 'system'), undefined);
  assert.equal(child(tree, 'protocols', 'bgp', 'group g', 'type'), undefined);
  assert.ok(child(tree, 'protocols', 'bgp', 'group g'), 'deleting a leaf leaves its group');
});

test('deleting one value of a list removes only it; a missing value is a warning', () => {
  const tree = fromSet('set protocols bgp group g import A\nset protocols bgp group g import B');
  assert.deepEqual(applySetCommands(tree, 'delete protocols bgp group g import A'), []);
  assert.match(printCurly(tree), /import B;/);
  assert.equal(applySetCommands(tree, 'delete protocols bgp group g import Z')[0]?.message, 'statement not found');
  assert.deepEqual(applySetCommands(tree, 'delete protocols bgp group g import B'), []);
  assert.equal(child(tree, 'protocols', 'bgp', 'group g', 'import'), undefined);
});

test('deleting the last statement of a top-level hierarchy removes it', () => {
  const tree = fromSet('set snmp location here');
  applySetCommands(tree, 'delete snmp location');
  assert.equal(printCurly(tree), '');
});

test('quoted strings keep spaces, quotes and backslashes', () => {
  const tree = parsed('system { login { message "Authorized \\"users\\" only\\\\"; } }');
  assert.equal(child(tree, 'system', 'login', 'message')?.values[0], 'Authorized "users" only\\');
  assert.match(printCurly(tree), /message "Authorized \\"users\\" only\\\\";/);
});
