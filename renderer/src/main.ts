// Entry point: pick the transport for this host and start the app.
import '@xterm/xterm/css/xterm.css';
import '../styles.css';
import { App } from './app.js';
import { Banners } from './workspace/banner.js';
import { pickTransport } from './transport/transport.js';

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`modus: index.html lacks #${id}`);
  return el;
}

new App(pickTransport(), {
  tabBar: byId('tab-bar'),
  tabList: byId('tab-list'),
  content: byId('content'),
  empty: byId('empty'),
  newTabButton: byId('empty-new-tab'),
  banners: new Banners(byId('banners')),
}).start();
