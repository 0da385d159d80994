// `:redact REGEX`: matches are masked in captured output, in the journal's
// copy of the raw output and of the command, so a secret never reaches disk.

export const REDACTION_MASK = '••••';

export function redactText(text: string, patterns: readonly RegExp[]): string {
  let out = text;
  for (const re of patterns) {
    const global = re.flags.includes('g') ? re : new RegExp(re.source, re.flags + 'g');
    out = out.replace(global, (m) => (m === '' ? '' : REDACTION_MASK));
  }
  return out;
}
