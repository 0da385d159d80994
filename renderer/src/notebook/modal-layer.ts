// The layer a notebook's modal dialog sits in, over the whole notebook view
// (its backdrop covers the editor). While a dialog is up the keyboard is
// its own: Tab and Shift+Tab cycle through its controls, a click on the
// backdrop goes back to its first field, and the view asks it for the focus
// (focus()) instead of giving it to the editor whenever the view is shown.

const CONTROLS = 'input, button, select, textarea, [href]';

export interface ModalEvents {
  /** A dialog opened or closed. */
  changed?(): void;
  /** A dialog that had the keyboard closed: where it goes now (else it would be left on the page's body). */
  closed?(): void;
}

export class ModalLayer {
  readonly element: HTMLElement;
  /** The control that gets the focus when the dialog is shown (a password field, the safe answer). */
  private home: HTMLElement | null = null;

  constructor(private readonly events: ModalEvents = {}) {
    this.element = document.createElement('div');
    this.element.className = 'nb-dialog-layer';
    this.element.hidden = true;
    this.element.addEventListener('mousedown', (ev) => {
      // The backdrop is no control: a click there would leave the keyboard with nobody (or, once, with the editor).
      if (ev.target !== this.element) return;
      ev.preventDefault();
      this.focus();
    });
    this.element.addEventListener('keydown', (ev) => {
      if (ev.key === 'Tab') this.cycle(ev);
    });
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  /**
   * Shows `box`, focusing `home` when the user is in this notebook (or
   * nowhere): a dialog of a notebook behind another tab takes nothing from
   * the terminal in front, where a shell command typed into a password field
   * would go to ssh as a password. The view gives it the focus when shown.
   */
  show(box: HTMLElement, home: HTMLElement): void {
    // Clicking its text keeps the focus in the dialog rather than dropping it on the page.
    box.tabIndex = -1;
    this.home = home;
    this.element.replaceChildren(box);
    this.element.hidden = false;
    const at = document.activeElement;
    const userHere = at === null || at === document.body || (this.element.parentElement?.contains(at) ?? false);
    if (userHere) home.focus();
    this.events.changed?.();
  }

  close(): void {
    const hadFocus = this.element.contains(document.activeElement);
    this.home = null;
    this.element.hidden = true;
    this.element.replaceChildren();
    this.events.changed?.();
    if (hadFocus) this.events.closed?.();
  }

  /** Gives the dialog the focus; false when none is up. */
  focus(): boolean {
    if (!this.open || !this.home) return false;
    this.home.focus();
    return true;
  }

  /** Tab past the last control comes back to the first, Shift+Tab before the first to the last. */
  private cycle(ev: KeyboardEvent): void {
    const controls = [...this.element.querySelectorAll<HTMLElement>(CONTROLS)].filter((c) => !c.matches(':disabled'));
    const first = controls[0];
    const last = controls[controls.length - 1];
    if (!first || !last) return;
    const at = document.activeElement;
    const inside = controls.some((c) => c === at);
    const edge = ev.shiftKey ? at === first : at === last;
    if (inside && !edge) return;
    ev.preventDefault();
    (ev.shiftKey ? last : first).focus();
  }
}
