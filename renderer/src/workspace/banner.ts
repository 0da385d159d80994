// Dismissible banners at the top of the window: settings problems, lost
// connection, clipboard refusals. One banner per topic; showing a topic
// again replaces it.

export class Banners {
  private readonly shown = new Map<string, HTMLElement>();

  constructor(private readonly container: HTMLElement) {}

  show(topic: string, kind: 'error' | 'warning' | 'info', heading: string, lines: readonly string[] = []): void {
    this.dismiss(topic);
    const banner = document.createElement('div');
    banner.className = `banner banner-${kind}`;
    banner.dataset.topic = topic;
    banner.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    const text = document.createElement('div');
    text.className = 'banner-text';
    const title = document.createElement('strong');
    title.textContent = heading;
    text.append(title);
    if (lines.length > 0) {
      const list = document.createElement('ul');
      for (const line of lines) {
        const item = document.createElement('li');
        item.textContent = line;
        list.append(item);
      }
      text.append(list);
    }
    const close = document.createElement('button');
    close.className = 'banner-close';
    close.type = 'button';
    close.title = 'Dismiss';
    close.textContent = '×';
    close.addEventListener('click', () => this.dismiss(topic));
    banner.append(text, close);
    this.container.append(banner);
    this.shown.set(topic, banner);
  }

  dismiss(topic: string): void {
    this.shown.get(topic)?.remove();
    this.shown.delete(topic);
  }
}
