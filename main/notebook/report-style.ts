// The report's stylesheet: inline, constant, no fonts or images to fetch.
// Light by default, dark when the reader's system asks, plain on paper.

export const REPORT_CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #fff; --panel: #f6f8fa; --line: #d1d9e0;
  --pass: #1a7f37; --fail: #cf222e; --error: #8250df; --timeout: #bc4c00; --cancelled: #6e7781; --unknown: #6e7781; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --line: #3d444d;
    --pass: #3fb950; --fail: #f85149; --error: #ab7df8; --timeout: #db6d28; --cancelled: #9198a1; --unknown: #9198a1; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
.report { max-width: 1100px; margin: 0 auto; padding: 24px 28px 64px; }
h1, h2, h3 { line-height: 1.25; }
.report-title { margin: 0 0 12px; font-size: 1.9em; }
.summary h2 { font-size: 1.15em; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.notebook { margin-top: 36px; padding-top: 8px; border-top: 2px solid var(--line); }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.93em; }
th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: var(--panel); }
table.facts thead { display: none; }
table.facts td:first-child { color: var(--muted); white-space: nowrap; }
table.timeline td { white-space: nowrap; }
.source, .empty { color: var(--muted); font-size: 0.9em; margin: 0 0 6px; }
code, pre { font-family: ui-monospace, SFMono-Regular, "Cascadia Mono", "DejaVu Sans Mono", Menlo, monospace; font-size: 0.9em; }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow-x: auto; margin: 0; }
:not(pre) > code { background: var(--panel); padding: 1px 4px; border-radius: 4px; }
.block { margin: 18px 0 6px; }
.block-head { display: flex; gap: 10px; align-items: baseline; font-size: 0.85em; color: var(--muted); margin-bottom: 4px; }
.block-index { font-weight: 600; }
.block-name { font-weight: 600; color: var(--fg); }
.result { margin: 6px 0 6px 18px; border-left: 4px solid var(--unknown); padding-left: 10px; }
.result.status-pass { border-color: var(--pass); } .result.status-fail { border-color: var(--fail); }
.result.status-error { border-color: var(--error); } .result.status-timeout { border-color: var(--timeout); }
.result.status-cancelled { border-color: var(--cancelled); }
.result-head { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; font-size: 0.85em; margin-bottom: 4px; }
.fact .label { color: var(--muted); }
.badge, .total { display: inline-block; border-radius: 999px; padding: 0 9px; font-size: 0.82em; font-weight: 600; color: #fff;
  background: var(--unknown); line-height: 1.7; }
.status-pass.badge, .total.status-pass { background: var(--pass); }
.status-fail.badge, .total.status-fail { background: var(--fail); }
.status-error.badge, .total.status-error { background: var(--error); }
.status-timeout.badge, .total.status-timeout { background: var(--timeout); }
.status-cancelled.badge, .total.status-cancelled { background: var(--cancelled); }
.badge.stale { background: transparent; color: var(--timeout); border: 1px solid var(--timeout); }
.stale-why { font-weight: 400; }
.result.stale .output { opacity: 0.7; }
.total.zero { background: transparent; color: var(--muted); border: 1px solid var(--line); }
.totals { display: flex; gap: 8px; flex-wrap: wrap; margin-bottom: 12px; }
.raw-html { font-family: ui-monospace, monospace; font-size: 0.88em; color: var(--muted); white-space: pre-wrap; }
/* Junos tokens (shared/junos-language.ts); the dark scheme's colours are the editor's (renderer/src/notebook/monaco-setup.ts). */
:root { --jt-comment: #57606a; --jt-string: #0a3069; --jt-tag: #8250df; --jt-verb: #8250df; --jt-block: #0550ae; --jt-leaf: #116329;
  --jt-deny: #cf222e; --jt-accept: #1a7f37; --jt-interface: #953800; --jt-address: #6639ba; --jt-number: #0550ae; --jt-header: #0550ae;
  --jt-inserted: #1a7f37; --jt-deleted: #cf222e; --jt-changed: #9a6700; --jt-prompt: #6e7781; }
@media (prefers-color-scheme: dark) {
  :root { --jt-comment: #6a9955; --jt-string: #ce9178; --jt-tag: #c586c0; --jt-verb: #c586c0; --jt-block: #569cd6; --jt-leaf: #9cdcfe;
    --jt-deny: #f14c4c; --jt-accept: #23d18b; --jt-interface: #4ec9b0; --jt-address: #dcdcaa; --jt-number: #b5cea8; --jt-header: #569cd6;
    --jt-inserted: #23d18b; --jt-deleted: #f14c4c; --jt-changed: #e5c07b; --jt-prompt: #808080; }
}
.jt-comment, .jt-comment-note { color: var(--jt-comment); font-style: italic; }
.jt-string { color: var(--jt-string); }
.jt-string-invalid, .jt-invalid { color: var(--jt-deny); }
.jt-keyword-tag { color: var(--jt-tag); font-weight: 600; }
.jt-keyword-verb { color: var(--jt-verb); }
.jt-keyword-block { color: var(--jt-block); font-weight: 600; }
.jt-keyword-leaf { color: var(--jt-leaf); }
.jt-keyword-deny { color: var(--jt-deny); font-weight: 700; }
.jt-keyword-accept { color: var(--jt-accept); }
.jt-variable-interface { color: var(--jt-interface); }
.jt-number-address { color: var(--jt-address); }
.jt-number { color: var(--jt-number); }
.jt-meta-diff-header { color: var(--jt-header); font-weight: 600; }
.jt-diff-inserted { color: var(--jt-inserted); font-weight: 700; }
.jt-diff-deleted { color: var(--jt-deleted); font-weight: 700; }
.jt-diff-changed { color: var(--jt-changed); font-weight: 700; }
.jt-meta-prompt { color: var(--jt-prompt); }
footer { margin-top: 40px; color: var(--muted); font-size: 0.85em; }
a { color: #0969da; }
@media print { .report { max-width: none; padding: 0; } pre { white-space: pre-wrap; word-break: break-all; } .result, .block { break-inside: avoid; } }
`;
