// The commits confirmed a notebook's runs left pending on Junos devices, as
// a strip above the editor: per host, a countdown to the device's rollback,
// with Confirm and Roll back now. What is pending comes from the host, which
// derives it from the notebook's journal (so it is the same after a reload
// or a restart); the countdown runs on this page's clock. Each action is a
// block the host appends to the notebook and runs, so the file and its
// report keep what was done.

import type { PendingCommitView } from '../../../main/protocol.js';
import { formatCountdown, shortDeadline } from './countdown.js';

export interface PendingCommitActions {
  /** Asks the host to confirm or roll back; the run's id, or null when it was not asked (the notebook is not trusted). */
  settle(host: string, action: 'confirm' | 'rollback'): number | null;
  /** Asks the user before a rollback; true to go on. */
  askRollback(p: PendingCommitView): Promise<boolean>;
  /** A deadline passed with nothing done here. */
  expired(p: PendingCommitView): void;
}

/** What the strip shows for one host (the tests read it). */
export interface PendingCommitShown {
  host: string;
  rollbackAt: string;
  block: number;
  text: string;
  /** A Confirm or Roll back now is running for this host. */
  busy: 'confirm' | 'rollback' | null;
}

export class PendingCommitsStrip {
  readonly element: HTMLElement;
  private pending: PendingCommitView[] = [];
  /** Runs started here, by id: which host and what. */
  private readonly running = new Map<number, { host: string; action: 'confirm' | 'rollback' }>();
  private timer: number | null = null;
  private readonly rows = new Map<string, { row: HTMLElement; text: HTMLElement; confirm: HTMLButtonElement; rollback: HTMLButtonElement }>();

  constructor(private readonly actions: PendingCommitActions) {
    this.element = document.createElement('div');
    this.element.className = 'nb-pending';
    this.element.hidden = true;
    this.element.setAttribute('role', 'status');
  }

  /** The host's list (replaces the one shown). */
  update(pending: PendingCommitView[]): void {
    this.pending = pending.filter((p) => Date.parse(p.rollbackAt) > Date.now());
    this.build();
  }

  /** A run ended: its host's buttons work again (the host sends the new list if the run changed it). */
  runDone(run: number): void {
    if (this.running.delete(run)) this.tick();
  }

  shown(): PendingCommitShown[] {
    const now = Date.now();
    return this.pending.map((p) => ({ host: p.host, rollbackAt: p.rollbackAt, block: p.block, text: this.describe(p, now), busy: this.busyWith(p.host) }));
  }

  dispose(): void {
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
  }

  private busyWith(host: string): 'confirm' | 'rollback' | null {
    for (const r of this.running.values()) if (r.host === host) return r.action;
    return null;
  }

  private describe(p: PendingCommitView, now: number): string {
    const of = `block ${p.block}${p.name ? ` (${p.name})` : ''}`;
    const busy = this.busyWith(p.host);
    const doing = busy === 'confirm' ? ' — confirming…' : busy === 'rollback' ? ' — rolling back…' : '';
    return `${p.host}: the commit confirmed of ${of} rolls back in ${formatCountdown(Date.parse(p.rollbackAt) - now)} (at ${shortDeadline(p.rollbackAt, new Date(now))}) unless confirmed${doing}`;
  }

  private build(): void {
    this.rows.clear();
    this.element.replaceChildren();
    for (const p of this.pending) {
      const row = document.createElement('div');
      row.className = 'nb-pending-row';
      row.dataset.host = p.host;
      const text = document.createElement('span');
      text.className = 'nb-pending-text';
      const button = (label: string, cls: string, title: string, action: () => void): HTMLButtonElement => {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = `nb-button ${cls}`;
        b.textContent = label;
        b.title = title;
        b.addEventListener('click', action);
        return b;
      };
      const confirm = button('Confirm', 'nb-pending-confirm', `Add a :commit confirm block for ${p.host} to the notebook and run it: the change stays`, () => this.start(p, 'confirm'));
      const rollback = button('Roll back now', 'nb-pending-rollback', `Add a :commit rollback block for ${p.host} to the notebook and run it: the configuration from before the change, committed now`, () => {
        void this.actions.askRollback(p).then((go) => {
          if (go) this.start(p, 'rollback');
        });
      });
      row.append(text, confirm, rollback);
      this.element.append(row);
      this.rows.set(p.host, { row, text, confirm, rollback });
    }
    this.element.hidden = this.pending.length === 0;
    if (this.pending.length > 0 && this.timer === null) this.timer = window.setInterval(() => this.tick(), 1000);
    if (this.pending.length === 0 && this.timer !== null) {
      window.clearInterval(this.timer);
      this.timer = null;
    }
    this.tick();
  }

  private start(p: PendingCommitView, action: 'confirm' | 'rollback'): void {
    if (this.busyWith(p.host)) return;
    const run = this.actions.settle(p.host, action);
    if (run === null) return;
    this.running.set(run, { host: p.host, action });
    this.tick();
  }

  /** The countdowns, once a second; a deadline that passed leaves the strip (the device has rolled back by now). */
  private tick(): void {
    const now = Date.now();
    const due = this.pending.filter((p) => Date.parse(p.rollbackAt) <= now && !this.busyWith(p.host));
    if (due.length > 0) {
      this.pending = this.pending.filter((p) => !due.includes(p));
      for (const p of due) this.actions.expired(p);
      this.build();
      return;
    }
    for (const p of this.pending) {
      const r = this.rows.get(p.host);
      if (!r) continue;
      r.text.textContent = this.describe(p, now);
      const busy = this.busyWith(p.host) !== null;
      r.confirm.disabled = busy;
      r.rollback.disabled = busy;
      r.row.classList.toggle('nb-pending-soon', Date.parse(p.rollbackAt) - now < 60_000);
    }
  }
}
