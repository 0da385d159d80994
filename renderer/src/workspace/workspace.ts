// Tabs, each holding a split tree of terminal panes: the tab bar, which tab
// shows, which pane has focus, and the window title (the active tab's, after
// what tabs behind it are waiting for).

import { panesOf, removePane, setRatio, splitPane, type PaneTree } from './layout.js';
import { renderSplitTree, type SplitPath } from './split-view.js';

/** What a tab holds: terminal panes (split as the user likes) or a notebook (alone in its tab). */
export interface WorkspacePane {
  readonly element: HTMLElement;
  /** Called once the element is in the document. */
  open(): void;
  /** The element's size may have changed. */
  fit(): void;
  focus(): void;
  readonly tabTitle: string;
  /** What the pane waits for the user to do now (a password to type); null or absent when nothing. */
  readonly attention?: Attention | null;
}

/** A pane waiting for the user: a badge for its tab and what it waits for ("asks for a password (ssh to r1)"). */
export interface Attention {
  badge: string;
  says: string;
}

export interface Tab {
  readonly key: number;
  tree: PaneTree<WorkspacePane>;
  focused: WorkspacePane;
  readonly content: HTMLDivElement;
  readonly button: HTMLButtonElement;
  readonly label: HTMLSpanElement;
  /** Shown while a pane of the tab waits for the user and the tab is behind. */
  readonly badge: HTMLSpanElement;
}

export interface WorkspaceEvents {
  /** The layout, a title or the active tab changed (session save). */
  changed(): void;
  newTabRequested(): void;
  /** The user closed a tab from the tab bar. */
  closeTabRequested(tab: Tab): void;
}

let nextTabKey = 1;

export class Workspace {
  readonly tabs: Tab[] = [];
  private activeIndex = -1;

  constructor(
    private readonly tabBar: HTMLElement,
    private readonly tabList: HTMLElement,
    private readonly contentArea: HTMLElement,
    private readonly emptyState: HTMLElement,
    private readonly events: WorkspaceEvents,
  ) {
    const add = document.createElement('button');
    add.type = 'button';
    add.className = 'tab-new';
    add.title = 'New tab';
    add.textContent = '+';
    add.addEventListener('click', () => this.events.newTabRequested());
    this.tabBar.append(add);
    this.updateEmptyState();
  }

  get active(): Tab | null {
    return this.tabs[this.activeIndex] ?? null;
  }

  get activeTabIndex(): number {
    return this.activeIndex;
  }

  allPanes(): WorkspacePane[] {
    return this.tabs.flatMap((t) => panesOf(t.tree));
  }

  tabOf(pane: WorkspacePane): Tab | null {
    return this.tabs.find((t) => panesOf(t.tree).includes(pane)) ?? null;
  }

  /** Adds a tab with `tree` (its panes not yet opened); opens the panes once they are in the document. */
  addTab(tree: PaneTree<WorkspacePane>, activate = true): Tab {
    const content = document.createElement('div');
    content.className = 'tab-content';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'tab';
    button.setAttribute('role', 'tab');
    const label = document.createElement('span');
    label.className = 'tab-title';
    const badge = document.createElement('span');
    badge.className = 'tab-attention';
    badge.hidden = true;
    const close = document.createElement('span');
    close.className = 'tab-close';
    close.title = 'Close tab';
    close.textContent = '×';
    button.append(badge, label, close);
    const tab: Tab = { key: nextTabKey++, tree, focused: panesOf(tree)[0]!, content, button, label, badge };
    button.addEventListener('click', (ev) => {
      if (ev.target === close) this.events.closeTabRequested(tab);
      else this.activate(this.tabs.indexOf(tab));
    });
    button.addEventListener('auxclick', (ev) => {
      if (ev.button === 1) this.events.closeTabRequested(tab);
    });
    this.tabs.push(tab);
    this.tabList.append(button);
    this.contentArea.append(content);
    this.render(tab);
    for (const pane of panesOf(tree)) pane.open();
    if (activate || this.activeIndex < 0) this.activate(this.tabs.length - 1);
    else content.hidden = true;
    this.updateTitles();
    this.updateEmptyState();
    return tab;
  }

  activate(index: number): void {
    if (index < 0 || index >= this.tabs.length) return;
    this.activeIndex = index;
    this.tabs.forEach((t, i) => {
      t.content.hidden = i !== index;
      t.button.classList.toggle('active', i === index);
      t.button.setAttribute('aria-selected', String(i === index));
    });
    const tab = this.tabs[index]!;
    // Hidden panes could not measure themselves; fit now that they show.
    for (const pane of panesOf(tab.tree)) pane.fit();
    tab.focused.focus();
    this.updateTitles();
    this.events.changed();
  }

  /** Moves by `delta` tabs, wrapping around. */
  cycle(delta: number): void {
    if (this.tabs.length === 0) return;
    this.activate((this.activeIndex + delta + this.tabs.length) % this.tabs.length);
  }

  split(target: WorkspacePane, added: WorkspacePane, direction: 'row' | 'column'): void {
    const tab = this.tabOf(target);
    if (!tab) return;
    tab.tree = splitPane(tab.tree, target, added, direction);
    tab.focused = added;
    this.render(tab);
    added.open();
    for (const pane of panesOf(tab.tree)) pane.fit();
    added.focus();
    this.updateTitles();
    this.events.changed();
  }

  /** Removes a pane (already disposed or about to be); an empty tab goes away. */
  remove(pane: WorkspacePane): void {
    const tab = this.tabOf(pane);
    if (!tab) return;
    const tree = removePane(tab.tree, pane);
    if (tree === null) {
      this.removeTab(tab);
      return;
    }
    tab.tree = tree;
    if (tab.focused === pane) tab.focused = panesOf(tree)[0]!;
    const hadFocus = pane.element.contains(document.activeElement);
    this.render(tab);
    if (tab === this.active && hadFocus) tab.focused.focus();
    this.updateTitles();
    this.events.changed();
  }

  private removeTab(tab: Tab): void {
    const index = this.tabs.indexOf(tab);
    this.tabs.splice(index, 1);
    tab.button.remove();
    tab.content.remove();
    if (this.tabs.length === 0) this.activeIndex = -1;
    else this.activate(Math.min(index, this.tabs.length - 1));
    this.updateTitles();
    this.updateEmptyState();
    this.events.changed();
  }

  focusNext(): void {
    const tab = this.active;
    if (!tab) return;
    const panes = panesOf(tab.tree);
    panes[(panes.indexOf(tab.focused) + 1) % panes.length]!.focus();
  }

  /** A pane got keyboard focus. */
  focused(pane: WorkspacePane): void {
    const tab = this.tabOf(pane);
    if (!tab || tab.focused === pane) return;
    tab.focused = pane;
    this.updateTitles();
  }

  titleOf(tab: Tab): string {
    return tab.focused.tabTitle;
  }

  /** What a pane of the tab waits for the user to do, if one does. */
  private attentionOf(tab: Tab): Attention | null {
    for (const pane of panesOf(tab.tree)) if (pane.attention) return pane.attention;
    return null;
  }

  /**
   * Tab labels, and the window title. A tab behind whose pane waits for the
   * user (a password ssh asks for) wears a badge and says so in its tooltip
   * and at the start of the window title: nothing else of it shows, and its
   * dialog takes no focus from the tab in front. The tab in front shows the
   * dialog itself.
   */
  updateTitles(): void {
    const active = this.active;
    const waiting: string[] = [];
    for (const tab of this.tabs) {
      const title = this.titleOf(tab);
      const wants = tab === active ? null : this.attentionOf(tab);
      tab.label.textContent = title;
      tab.button.title = wants ? `${title} — ${wants.says}` : title;
      tab.button.classList.toggle('needs-attention', wants !== null);
      tab.badge.hidden = wants === null;
      tab.badge.textContent = wants?.badge ?? '';
      if (wants) waiting.push(`${wants.badge} ${title} ${wants.says}`);
    }
    const own = active ? this.titleOf(active) : 'Modus';
    document.title = waiting.length > 0 ? `${waiting.join(', ')} — ${own}` : own;
  }

  private render(tab: Tab): void {
    renderSplitTree(tab.content, tab.tree, {
      element: (pane) => pane.element,
      ratioChanged: (path: SplitPath, ratio) => {
        tab.tree = setRatio(tab.tree, path, ratio);
        this.events.changed();
      },
    });
  }

  private updateEmptyState(): void {
    this.emptyState.hidden = this.tabs.length > 0;
  }
}
