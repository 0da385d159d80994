// Pure helpers of the pending-commit strip (pending-commits.ts), unit-tested in Node.

/** Time left as the strip shows it: `4:05`, `1:02:03`; `0:00` once due. Whole seconds, rounded up (it never says 0:00 before the deadline). */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** `2026-11-23T19:45:02Z` → `19:45:02Z` when it is today (UTC) at `now`, else as given. */
export function shortDeadline(iso: string, now: Date): string {
  return iso.slice(0, 10) === now.toISOString().slice(0, 10) ? iso.slice(11) : iso;
}
