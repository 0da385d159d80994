// Load actions (merge, replace, override, update, set) and `show | compare`
// diffs of the Junos simulator.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRequest } from '../../junos-sim/config-loading.js';
import { diffConfig } from '../../junos-sim/config-diff.js';
import { parseCurly } from '../../junos-sim/config-parse.js';
import { printCurly } from '../../junos-sim/config-print.js';
import type { ConfigNode } from '../../junos-sim/config-tree.js';

const BASE = `system {
    host-name r1;
    ntp {
        server 192.0.2.123;
    }
}
protocols {
    bgp {
        group rr {
            type internal;
            export A;
            neighbor 10.0.0.1;
        }
    }
    lldp {
        interface all;
    }
}
`;

function tree(text: string): ConfigNode {
  const r = parseCurly(text);
  assert.deepEqual(r.errors, []);
  return r.tree;
}

function load(base: string, action: 'merge' | 'replace' | 'override' | 'update', text: string): string {
  const out = loadRequest(tree(base), { kind: 'text', action, text });
  assert.deepEqual(
    out.problems.filter((p) => p.severity === 'error'),
    [],
  );
  return printCurly(out.result);
}

test('merge: a leaf is replaced, entries and list values are added, the rest stays', () => {
  const result = load(BASE, 'merge', 'system { host-name r2; }\nprotocols { bgp { group rr { export B; neighbor 10.0.0.2; } } }\n');
  assert.match(result, /host-name r2;/);
  assert.match(result, /export \[ A B \];/);
  assert.match(result, /neighbor 10\.0\.0\.1;\n\s+neighbor 10\.0\.0\.2;/);
  assert.match(result, /lldp \{/);
  assert.match(result, /server 192\.0\.2\.123;/);
});

test('replace: statements tagged replace: replace the candidate\'s whole, untagged ones merge', () => {
  const result = load(BASE, 'replace', 'protocols { bgp { replace: group rr { type external; peer-as 64500; neighbor 192.0.2.1; } } }\nsystem { host-name r3; }\n');
  assert.match(result, /group rr \{\n\s+type external;\n\s+peer-as 64500;\n\s+neighbor 192\.0\.2\.1;\n\s+\}/);
  assert.doesNotMatch(result, /10\.0\.0\.1/);
  assert.match(result, /host-name r3;/);
  assert.match(result, /server 192\.0\.2\.123;/, 'untagged system merged');
  // Without the tag, replace merges.
  assert.match(load(BASE, 'replace', 'protocols { bgp { group rr { neighbor 10.0.0.9; } } }'), /neighbor 10\.0\.0\.1;\n\s+neighbor 10\.0\.0\.9;/);
});

test('merge honours delete:, active: and inactive: tags', () => {
  const result = load(BASE, 'merge', 'protocols { delete: lldp; inactive: bgp { group rr { neighbor 10.0.0.1; } } }\n');
  assert.doesNotMatch(result, /lldp/);
  assert.match(result, /inactive: bgp \{/);
  assert.doesNotMatch(load(result, 'merge', 'protocols { active: bgp; }'), /inactive/);
  const missing = loadRequest(tree(BASE), { kind: 'text', action: 'merge', text: 'protocols { delete: ospf; }' });
  assert.deepEqual(
    missing.problems.map((p) => [p.severity, p.message, p.path.join(' ')]),
    [['warning', 'statement not found', 'protocols']],
  );
});

test('override and update: the loaded text is the whole configuration', () => {
  for (const action of ['override', 'update'] as const) {
    assert.equal(load(BASE, action, 'system { host-name only; }'), 'system {\n    host-name only;\n}\n');
  }
});

test('a load with syntax errors keeps what parsed for merge; override changes nothing', () => {
  const merged = loadRequest(tree(BASE), { kind: 'text', action: 'merge', text: 'system { host-name r5; }\nprotocols { bogus { x; } }\n' });
  assert.equal(merged.problems.length, 1);
  assert.match(printCurly(merged.result), /host-name r5;/);
  const overridden = loadRequest(tree(BASE), { kind: 'text', action: 'override', text: 'system { host-name r5; }\nprotocols { bogus { x; } }\n' });
  assert.equal(printCurly(overridden.result), BASE);
});

test('set loads apply line by line', () => {
  const out = loadRequest(tree(BASE), { kind: 'set', text: 'set system host-name r7\ndelete protocols lldp\nset protocols bgp group rr neighbor 10.0.0.3' });
  assert.deepEqual(out.problems, []);
  const text = printCurly(out.result);
  assert.match(text, /host-name r7;/);
  assert.doesNotMatch(text, /lldp/);
  assert.match(text, /neighbor 10\.0\.0\.3;/);
});

test('diff: a changed leaf is a - and a + line under its [edit] path', () => {
  assert.equal(diffConfig(tree(BASE), tree(BASE.replace('host-name r1', 'host-name r2'))), '[edit system]\n-  host-name r1;\n+  host-name r2;\n');
});

test('diff: added and removed blocks print whole, at the level where they differ, in configuration order', () => {
  const now = tree(BASE.replace('    lldp {\n        interface all;\n    }\n', '').replace('neighbor 10.0.0.1;', 'neighbor 10.0.0.1;\n            neighbor 10.0.0.2 {\n                description new;\n            }'));
  assert.equal(
    diffConfig(tree(BASE), now),
    ['[edit protocols bgp group rr]', '+  neighbor 10.0.0.2 {', '+      description new;', '+  }', '[edit protocols]', '-  lldp {', '-      interface all;', '-  }', ''].join('\n'),
  );
});

test('diff: a whole new hierarchy appears under [edit]', () => {
  assert.equal(diffConfig(tree('system { host-name r1; }'), tree('system { host-name r1; }\nsnmp { location lab; }')), '[edit]\n+  snmp {\n+      location lab;\n+  }\n');
});

test('diff: lists of values show old and new, deactivation is a ! line', () => {
  const now = tree(BASE.replace('export A;', 'export [ A B ];').replace('    lldp {', '    inactive: lldp {'));
  assert.equal(diffConfig(tree(BASE), now), ['[edit protocols bgp group rr]', '-  export A;', '+  export [ A B ];', '[edit protocols]', '!  inactive: lldp { ... }', ''].join('\n'));
});

test('diff: a term added to a policy shows the term before it as context', () => {
  const before = tree('policy-options { policy-statement P { term a { then accept; } term c { then reject; } } }');
  const after = tree('policy-options { policy-statement P { term a { then accept; } term b { from protocol static; then accept; } term c { then reject; } } }');
  assert.equal(diffConfig(before, after), ['[edit policy-options policy-statement P]', '   term a { ... }', '+  term b {', '+      from protocol static;', '+      then accept;', '+  }', ''].join('\n'));
});

test('diff: identical configurations give no text', () => {
  assert.equal(diffConfig(tree(BASE), tree(BASE)), '');
});
