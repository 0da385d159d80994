// rpc-error parsing and the meaning of Junos replies: every error kept with
// its path and statement, warnings apart from errors, the CLI's layout,
// command output, diffs and the commit history's pending confirmation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRpcError, rpcErrorsIn, summarizeRpcErrors, errorsOnly, warningsOnly } from '../../../main/targets/junos/rpc-error.js';
import { commandText, commandXml, commitHistory, diffText, loadErrorCount, pendingConfirm, rolledBackAutomatically, textualError } from '../../../main/targets/junos/junos-replies.js';
import { readReply } from '../../../main/targets/junos/reply-tree.js';
import type { RpcReply } from '../../../main/targets/junos/netconf-session.js';
import { NC, rpcError } from '../../helpers/netconf-peer.js';

function reply(inner: string): RpcReply {
  const text = `<rpc-reply xmlns="${NC}" xmlns:junos="http://xml.juniper.net/junos/23.4R1/junos" message-id="7">${inner}</rpc-reply>`;
  const root = readReply(text);
  return { root, text, errors: rpcErrorsIn(root) };
}

test('every rpc-error of a load is kept, in order, with severity, type, tag, path, bad element and message', () => {
  const r = reply(`<load-configuration-results>
    ${rpcError({ message: 'syntax error', path: '[edit protocols]', bad: 'lldpx' })}
    ${rpcError({ message: 'statement not found', severity: 'warning', path: '[edit system]', bad: 'ntp' })}
    ${rpcError({ message: 'syntax error', path: '[edit interfaces]', bad: 'ge-0/0/0.x', tag: 'invalid-value', type: 'application' })}
    <load-error-count>2</load-error-count></load-configuration-results>`);
  assert.equal(r.errors.length, 3);
  assert.deepEqual(r.errors[0], { severity: 'error', type: 'protocol', tag: 'operation-failed', path: '[edit protocols]', badElement: 'lldpx', message: 'syntax error' });
  assert.equal(r.errors[1]!.severity, 'warning');
  assert.deepEqual(r.errors[2]!.type, 'application');
  assert.equal(errorsOnly(r.errors).length, 2);
  assert.equal(warningsOnly(r.errors).length, 1);
  assert.equal(loadErrorCount(r), 2);
  assert.equal(summarizeRpcErrors(errorsOnly(r.errors)), "syntax error at 'lldpx' in [edit protocols]; syntax error at 'ge-0/0/0.x' in [edit interfaces]");
});

test('errors are shown as the CLI shows them; one about nothing in particular is a plain error: line', () => {
  const [withPath] = rpcErrorsIn(reply(rpcError({ message: 'syntax error', path: '[edit protocols]', bad: 'lldpx' })).root);
  assert.equal(formatRpcError(withPath!), "[edit protocols]\n  'lldpx'\n    syntax error");
  const [warning] = rpcErrorsIn(reply(rpcError({ message: 'statement not found', severity: 'warning', path: '[edit system]' })).root);
  assert.equal(formatRpcError(warning!), '[edit system]\n    warning: statement not found');
  const [bare] = rpcErrorsIn(reply(rpcError({ message: 'configuration check-out failed' })).root);
  assert.equal(formatRpcError(bare!), 'error: configuration check-out failed');
});

test('an rpc-error without a message says so rather than being blank', () => {
  const [e] = rpcErrorsIn(reply('<rpc-error><error-severity>error</error-severity><error-tag>lock-denied</error-tag></rpc-error>').root);
  assert.match(e!.message, /lock-denied/);
});

test('command text: <output> as printed, leading blank lines dropped, one final newline; other containers too', () => {
  assert.equal(commandText(reply('<output>\n\nHostname: edge1\nModel: mx204\n\n</output>')), 'Hostname: edge1\nModel: mx204\n');
  assert.equal(commandText(reply('<configuration-information><configuration-output>\nsystem {\n    host-name edge1;\n}\n</configuration-output></configuration-information>')), 'system {\n    host-name edge1;\n}\n');
  assert.equal(commandText(reply('<ok/>')), '');
  assert.equal(commandText(reply(`${rpcError({ message: 'x' })}<something>txt</something>`)), 'txt\n');
});

test('command XML: the reply content as sent, namespaces kept, rpc-errors left to their own lines', () => {
  const x = commandXml(reply(`<software-information xmlns="urn:j"><host-name>edge1</host-name></software-information>${rpcError({ message: 'w', severity: 'warning' })}`));
  assert.equal(x, '<software-information xmlns="urn:j"><host-name>edge1</host-name></software-information>\n');
});

test('bare-text errors in command output are recognised', () => {
  assert.equal(textualError('\nerror: device asdf not found\n'), 'device asdf not found');
  assert.equal(textualError('Interface  Admin\nerror: nothing\n'), null);
});

test('diff: "\\n" means no change; otherwise the compare text', () => {
  assert.equal(diffText(reply('<configuration-information><configuration-output>\n</configuration-output></configuration-information>')), '');
  assert.equal(diffText(reply('<configuration-information><configuration-output>\n[edit system]\n+  host-name edge2;\n</configuration-output></configuration-information>')), '[edit system]\n+  host-name edge2;\n');
});

const history = (entries: { comment?: string; log?: string; seconds?: number; user?: string; client?: string }[]) =>
  reply(`<commit-information>${entries.map((e, i) => `<commit-history><sequence-number>${i}</sequence-number><user>${e.user ?? 'netops'}</user><client>${e.client ?? 'netconf'}</client><date-time junos:seconds="${e.seconds ?? 1795468800 - i * 60}">2026-11-23 19:40:00 UTC</date-time>${e.comment !== undefined ? `<comment>${e.comment}</comment>` : ''}${e.log !== undefined ? `<log>${e.log}</log>` : ''}</commit-history>`).join('')}</commit-information>`);

test('a pending commit confirmed is the newest commit, commented "commit confirmed, rollback in Nmins"; its deadline is its time + N minutes', () => {
  const h = commitHistory(history([{ comment: 'commit confirmed, rollback in 5mins', log: 'modus: nb.md block 3', seconds: 1795468800 }, {}]));
  assert.equal(h.length, 2);
  assert.equal(h[0]!.log, 'modus: nb.md block 3');
  assert.equal(h[0]!.date!.toISOString(), new Date(1795468800_000).toISOString());
  const p = pendingConfirm(h);
  assert.ok(p);
  assert.equal(p.minutes, 5);
  assert.equal(p.deadline!.getTime(), 1795468800_000 + 5 * 60_000);
});

test('no pending commit once a newer commit (a confirmation or the automatic rollback) is on top', () => {
  assert.equal(pendingConfirm(commitHistory(history([{ log: 'confirm' }, { comment: 'commit confirmed, rollback in 5mins' }]))), null);
  const rolled = commitHistory(history([{ comment: 'automatic rollback', client: 'other' }, { comment: 'commit confirmed, rollback in 5mins' }]));
  assert.equal(pendingConfirm(rolled), null);
  assert.ok(rolledBackAutomatically(rolled));
  assert.equal(pendingConfirm([]), null);
});
