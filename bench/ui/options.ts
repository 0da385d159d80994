// The UI bench's knobs, from the environment (BENCH_LOAD is the terminal
// bench's, terminal/busy-load.ts).

function wholeNumber(name: string, fallback: number, min: number, max: number, what: string): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number of ${what} from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** BENCH_ROUNDS: rounds, each opening and typing into Modus and the floor afresh (default 3); medians and pooled percentiles are reported. */
export function benchRounds(): number {
  return wholeNumber('BENCH_ROUNDS', 3, 1, 10, 'rounds');
}

/** BENCH_KEYS: measured keys per typing phase and round (default 200). */
export function benchKeys(): number {
  return wholeNumber('BENCH_KEYS', 200, 10, 2000, 'keys');
}
