// The generated lab-notes notebook of the benches: bench:notebook scans it,
// bench:ui opens it in the app. One generator, so "the 1 MB notebook with
// 5,000 blocks" is the same text in both.

/** Front matter of the generated notebook: a title and the variable its blocks use. */
const FRONT_MATTER = '---\ntitle: Generated benchmark notebook\nvars:\n  peer: 192.0.2.1\n---\n\n';

/**
 * A lab-notes notebook: prose, a list and a quote now and then, sh blocks
 * with results. `intro` (Markdown) goes between the front matter and the
 * first generated block.
 */
export function generateNotebook(blocks: number, outputLinesPerBlock: number, intro = ''): string {
  const parts: string[] = [FRONT_MATTER, intro];
  for (let i = 0; i < blocks; i++) {
    if (i % 50 === 0) parts.push(`## Section ${i / 50}\n\n`);
    parts.push(`Check ${i}: the peer answers.\n\n`);
    const inList = i % 7 === 3;
    const inQuote = i % 11 === 5;
    const prefix = inList ? '   ' : inQuote ? '> ' : '';
    if (inList) parts.push(`1. step ${i}\n\n`);
    const fence = '```';
    parts.push(`${prefix}${fence}sh :host r${i % 4} :expect "0% loss"\n`);
    parts.push(`${prefix}ping -c 3 {{peer}} && ip -6 route show | grep -c default\n${prefix}${fence}\n`);
    parts.push(`${inQuote ? '>' : ''}\n${prefix}${fence}results :host r${i % 4} :at 2026-11-23T19:40:02Z :took 2.1s :exit 0 :status pass\n`);
    for (let k = 0; k < outputLinesPerBlock; k++) {
      parts.push(`${prefix}64 bytes from 192.0.2.1: icmp_seq=${k} ttl=64 time=0.0${k % 10} ms  ~~ \`x\` ${'.'.repeat(k % 30)}\n`);
    }
    parts.push(`${prefix}${fence}\n\n`);
  }
  return parts.join('');
}
