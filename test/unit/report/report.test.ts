import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderReport } from '../../../main/notebook/report.js';
import type { ReportRun } from '../../../main/notebook/report.js';

const NOTEBOOK = `---
title: BGP add-path <script>alert("title")</script>
vars:
  peer: 192.0.2.1
  ticket: CHG-1234
---

# Enable add-path

Check the peer first. <img src=x onerror=alert(1)> Inline <b onclick="x()">bold</b>.

<script>alert(1)</script>

<iframe srcdoc="<script>alert(2)</script>"></iframe>

[click me](javascript:alert(1)) and [ok](https://example.net/doc) and ![logo](https://evil.example/track.png)

\`\`\`sh :host r1,r2 :name precheck :expect "0% packet loss"
ping -c3 {{peer}}
\`\`\`

\`\`\`results :host r1 :at 2026-11-23T19:40:02Z :took 2.1s :exit 0 :status pass
3 packets transmitted, 3 received, 0% packet loss
\`\`\`

\`\`\`results :host r2 :at 2026-11-23T19:40:03Z :took 2.3s :exit 1 :status fail
</code></pre><script>alert(3)</script>
\`\`\`

- a list item with a block:

  \`\`\`sh :timeout 1s
  sleep 5
  \`\`\`

  \`\`\`results :host local :at 2026-11-23T19:41:00Z :took 1.0s :status timeout
  \`\`\`

    indented code is not a notebook block
`;

const RUNS: ReportRun[] = [
  { seq: 1, block: 0, name: 'precheck', host: 'r1', user: 'alice', start: '2026-11-23T19:40:00.000Z', end: '2026-11-23T19:40:02.100Z', tookMs: 2100, status: 'pass', exitCode: 0 },
  { seq: 2, block: 0, name: 'precheck', host: 'r2', user: 'alice', start: '2026-11-23T19:40:00.500Z', end: '2026-11-23T19:40:03.000Z', tookMs: 2500, status: 'fail', exitCode: 1 },
  { seq: 3, block: 1, name: null, host: 'local', user: 'bob', start: '2026-11-23T19:40:59.000Z', end: '2026-11-23T19:41:00.000Z', tookMs: 1000, status: 'timeout', exitCode: null },
];

function rows(html: string, tableClass: string): string[] {
  const table = new RegExp(`<table class="${tableClass}">([\\s\\S]*?)</table>`).exec(html);
  assert.ok(table, `a ${tableClass} table`);
  return [...table[1]!.matchAll(/<tbody>[\s\S]*?<\/tbody>/g)].flatMap((b) => [...b[0].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => r[1]!.replace(/<[^>]+>/g, '|').replace(/\|+/g, '|')));
}

test('the report has the title, facts from the journal, totals, variables, timeline and badges', () => {
  const report = renderReport({ text: NOTEBOOK, fileName: 'addpath.md', runs: RUNS, journalNote: '3 records, chain intact' });
  const { html } = report;
  assert.equal(report.title, 'BGP add-path <script>alert("title")</script>');
  assert.match(html, /<title>BGP add-path &#60;script&#62;alert\(&#34;title&#34;\)&#60;\/script&#62;<\/title>/);
  assert.match(html, /<h1 class="report-title">BGP add-path &#x3C;script>alert\("title"\)&#x3C;\/script><\/h1>/);
  assert.deepEqual(report.totals, { pass: 1, fail: 1, error: 0, timeout: 1, cancelled: 0 });
  assert.match(html, /<span class="total status-pass">1 pass<\/span><span class="total status-fail">1 fail<\/span><span class="total zero">0 error<\/span><span class="total status-timeout">1 timeout<\/span>/);
  assert.deepEqual(rows(html, 'facts'), [
    '|Notebook|addpath.md|',
    '|Run by|alice, bob|',
    '|First run|2026-11-23 19:40:00Z|',
    '|Last run ended|2026-11-23 19:41:00Z|',
    '|Runs|3 on 3 hosts (r1, r2, local)|',
    '|Journal|3 records, chain intact|',
  ]);
  assert.deepEqual(rows(html, 'variables'), ['|peer|192.0.2.1|', '|ticket|CHG-1234|']);
  assert.deepEqual(rows(html, 'timeline'), [
    '|2026-11-23 19:40:00Z|#1 precheck|r1|alice|pass|2.1s|0|',
    '|2026-11-23 19:40:00Z|#1 precheck|r2|alice|fail|2.5s|1|',
    '|2026-11-23 19:40:59Z|#2|local|bob|timeout|1.0s|–|',
  ]);
  // Each code block with its header, each result with its badge and facts, in document order.
  assert.match(html, /<span class="block-index">#1<\/span><span class="block-name">precheck<\/span><code class="block-info">sh :host r1,r2 :name precheck :expect "0% packet loss"<\/code>/);
  assert.match(html, /<div class="result status-pass"><div class="result-head"><span class="badge status-pass">pass<\/span><span class="fact"><span class="label">host<\/span> r1<\/span>/);
  assert.match(html, /<div class="result status-fail">/);
  assert.match(html, /<div class="result status-timeout">/);
  assert.match(html, /<span class="block-index">#2<\/span>/);
  assert.doesNotMatch(html, /block-index">#3/, 'indented code is not a numbered block');
  assert.match(html, /<a href="https:\/\/example.net\/doc">ok<\/a>/);
});

test('nothing executable survives: no script, no event handlers, no javascript: URLs, no external fetches', () => {
  const { html } = renderReport({ text: NOTEBOOK, fileName: 'addpath.md', runs: RUNS });
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /onerror|onclick|onload/i);
  assert.doesNotMatch(html, /javascript:/i);
  assert.doesNotMatch(html, /<iframe|srcdoc/i);
  assert.doesNotMatch(html, /<img|src=/i, 'images become links: the report fetches nothing');
  assert.match(html, /<a href="https:\/\/evil.example\/track.png">logo<\/a>/);
  assert.match(html, /<p class="raw-html">\(raw HTML omitted from the report\)<\/p>/);
  // The output that tried to close the <pre> is shown as text.
  assert.match(html, /&#x3C;\/code>&#x3C;\/pre>&#x3C;script>alert\(3\)&#x3C;\/script>/);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'/);
});

test('without a journal the results blocks are the timeline', () => {
  const { html } = renderReport({ text: NOTEBOOK, fileName: 'addpath.md', runs: null });
  assert.deepEqual(rows(html, 'facts'), ['|Notebook|addpath.md|', '|Run by|not recorded (no journal beside the notebook)|']);
  assert.match(html, /<p class="source">from the results blocks \(no journal\)<\/p>/);
  assert.deepEqual(rows(html, 'timeline'), [
    '|2026-11-23 19:40:02Z|#1 precheck|r1|–|pass|2.1s|0|',
    '|2026-11-23 19:40:03Z|#1 precheck|r2|–|fail|2.3s|1|',
    '|2026-11-23 19:41:00Z|#2|local|–|timeout|1.0s|–|',
  ]);
});

test('the title falls back to the first heading, then the file name', () => {
  assert.equal(renderReport({ text: 'intro\n\n## Steps *now*\n', fileName: 'x.md', runs: null }).title, 'Steps now');
  const bare = renderReport({ text: 'just text\n', fileName: 'x.md', runs: null });
  assert.equal(bare.title, 'x.md');
  assert.match(bare.html, /<p class="empty">No variables.<\/p>/);
  assert.match(bare.html, /<p class="empty">Nothing has run yet.<\/p>/);
});
