// The report of a notebook inside its tab: the HTML the host renders with
// the same renderer as `modus export` (sanitised there as the last step, no
// scripts), shown in a shadow root so its styles stay its own. Links open
// only for http/https, through the app's link check; export writes the same
// HTML beside the notebook; print (the browser's, with a print stylesheet
// that shows only the report) gives a PDF.

export interface ReportActions {
  exportHtml(): void;
  /** Electron writes a PDF beside the notebook; a browser opens its print dialog (Save as PDF). */
  print(): void;
  openLink(url: string): void;
}

export class ReportView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly shadow: ShadowRoot;
  private readonly note: HTMLElement;

  constructor(parent: HTMLElement, private readonly actions: ReportActions) {
    this.element = document.createElement('section');
    this.element.className = 'nb-report';
    this.element.hidden = true;
    const bar = document.createElement('div');
    bar.className = 'nb-report-bar';
    const button = (label: string, cls: string, action: () => void): void => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = `nb-button ${cls}`;
      b.textContent = label;
      b.addEventListener('click', action);
      bar.append(b);
    };
    button('Export HTML', 'nb-report-export', () => actions.exportHtml());
    button('Print / PDF', 'nb-report-print', () => actions.print());
    button('Close report', 'nb-report-close', () => this.close());
    this.note = document.createElement('span');
    this.note.className = 'nb-report-note';
    bar.append(this.note);
    this.body = document.createElement('div');
    this.body.className = 'nb-report-body';
    this.shadow = this.body.attachShadow({ mode: 'open' });
    this.element.append(bar, this.body);
    parent.append(this.element);
    this.shadow.addEventListener('click', (ev) => {
      const a = (ev.target as Element | null)?.closest?.('a');
      if (!a) return;
      ev.preventDefault();
      const href = a.getAttribute('href') ?? '';
      if (href.startsWith('#')) {
        this.shadow.getElementById(href.slice(1))?.scrollIntoView();
        return;
      }
      // The target is shown before anything opens; the app refuses what is not http(s).
      if (window.confirm(`Open this link in your browser?\n\n${href}`)) actions.openLink(href);
    });
  }

  loading(): void {
    this.element.hidden = false;
    this.note.textContent = 'Rendering…';
  }

  /** Shows a report: the host's sanitised document, parsed inert (DOMParser runs nothing) and moved in. */
  show(html: string): void {
    const parsed = new DOMParser().parseFromString(html, 'text/html');
    const style = document.createElement('style');
    // The report's colours are custom properties on :root, which matches nothing inside a shadow root: here they go on its host.
    style.textContent = [...parsed.querySelectorAll('style')].map((s) => s.textContent ?? '').join('\n').replace(/:root\b/g, ':host');
    const content = document.createElement('div');
    content.className = 'report-root';
    content.append(...[...parsed.body.childNodes].map((n) => document.importNode(n, true)));
    this.shadow.replaceChildren(style, content);
    this.note.textContent = '';
    this.element.hidden = false;
  }

  exported(file: string): void {
    this.note.textContent = `Written to ${file}`;
  }

  /** The report's text as shown (tests). */
  text(): string {
    return this.shadow.querySelector('.report-root')?.textContent ?? '';
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  close(): void {
    this.element.hidden = true;
  }
}
