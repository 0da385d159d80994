// show version, show system commit, show system uptime.

import { junosDate } from './clock.js';
import { child, leafValue } from './config-tree.js';
import { SIM_JUNOS_VERSION, SIM_MODEL } from './junos-release.js';
import type { OpContext, OpOutput } from './op-types.js';
import { textElement } from './xml-text.js';

export function hostName(ctx: OpContext): string {
  return leafValue(child(ctx.state.active, 'system'), 'host-name') ?? ctx.deviceName;
}

export function showVersion(ctx: OpContext): OpOutput {
  const host = hostName(ctx);
  const packages = [
    ['junos', `JUNOS Base OS boot [${SIM_JUNOS_VERSION}]`],
    ['junos-simulated', `JUNOS simulated by Modus test/junos-sim [${SIM_JUNOS_VERSION}]`],
  ];
  const text = [`Hostname: ${host}`, `Model: ${SIM_MODEL}`, `Junos: ${SIM_JUNOS_VERSION}`, ...packages.map(([, c]) => c!)].join('\n');
  const xml = [
    '<software-information>',
    textElement('host-name', host),
    textElement('product-model', SIM_MODEL),
    textElement('product-name', SIM_MODEL),
    textElement('junos-version', SIM_JUNOS_VERSION),
    ...packages.flatMap(([name, comment]) => ['<package-information>', textElement('name', name!), textElement('comment', comment!), '</package-information>']),
    '</software-information>',
  ].join('\n');
  return { text, xml };
}

export function showSystemCommit(ctx: OpContext): OpOutput {
  const history = ctx.state.history;
  const text = history
    .flatMap((r, i) => {
      const head = `${String(i).padEnd(4)}${junosDate(r.at)} by ${r.user} via ${r.client}${r.comment ? ` ${r.comment}` : ''}`;
      return r.log ? [head, `    ${r.log}`] : [head];
    })
    .join('\n');
  const xml = [
    '<commit-information>',
    ...history.flatMap((r, i) => [
      '<commit-history>',
      textElement('sequence-number', i),
      textElement('user', r.user),
      textElement('client', r.client),
      textElement('date-time', junosDate(r.at), ` junos:seconds="${Math.floor(r.at.getTime() / 1000)}"`),
      ...(r.comment ? [textElement('comment', r.comment)] : []),
      ...(r.log ? [textElement('log', r.log)] : []),
      '</commit-history>',
    ]),
    '</commit-information>',
  ].join('\n');
  return { text, xml };
}

function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(s / 86400);
  const hms = [Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
  return days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${hms}` : hms;
}

export function showSystemUptime(ctx: OpContext): OpOutput {
  const now = ctx.state.clock.now();
  const last = ctx.state.history[0]!;
  const text = [
    `Current time: ${junosDate(now)}`,
    `System booted: ${junosDate(ctx.bootedAt)} (${duration(now.getTime() - ctx.bootedAt.getTime())} ago)`,
    `Last configured: ${junosDate(last.at)} (${duration(now.getTime() - last.at.getTime())} ago) by ${last.user}`,
  ].join('\n');
  const xml = [
    '<system-uptime-information>',
    textElement('current-time', junosDate(now)),
    textElement('system-booted-time', junosDate(ctx.bootedAt)),
    textElement('last-configured-time', junosDate(last.at)),
    '</system-uptime-information>',
  ].join('\n');
  return { text, xml };
}
