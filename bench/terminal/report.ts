// Formatting for the bench's figures: rates, sizes, percentiles and the final table.

export const MB = 1e6;

export function rate(bytes: number, ms: number): number {
  return bytes / MB / (ms / 1000);
}

/** Nearest-rank percentile of `values` (0 < p <= 100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function mib(bytes: number | null): string {
  return bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

export interface Row {
  figure: string;
  value: string;
  note: string;
}

export function table(rows: readonly Row[]): string {
  const width = Math.max(...rows.map((r) => r.figure.length));
  const valueWidth = Math.max(...rows.map((r) => r.value.length));
  return rows.map((r) => `${r.figure.padEnd(width)}  ${r.value.padStart(valueWidth)}${r.note ? `  ${r.note}` : ''}`).join('\n');
}
