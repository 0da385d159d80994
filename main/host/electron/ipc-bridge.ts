// Carries protocol messages between each window's renderer and the hub:
// one hub connection per window, opened on the window's first trusted
// message, closed when the window closes, reloads or its renderer dies.
// Every incoming message is checked for its sender frame first; its content
// is validated by the hub (main/protocol.ts), not here.

import type { BrowserWindow, IpcMainEvent, WebContents, WebFrameMain } from 'electron';
import { IPC_CHANNEL, type HostMessage } from '../../protocol.js';
import { isTrustedSender } from './security.js';

/** The part of the hub (main/host/hub.ts) this bridge uses. */
export interface HubConnection {
  receive(raw: unknown): void;
  close(): void;
}
export interface HubLike {
  connect(send: (msg: HostMessage) => void, abilities?: { printToPdf?: () => Promise<Uint8Array> }): HubConnection;
}

interface WindowEntry {
  contents: WebContents;
  connection: HubConnection | null;
}

function sameFrame(a: WebFrameMain, b: WebFrameMain): boolean {
  return a.processId === b.processId && a.routingId === b.routingId;
}

export class IpcBridge {
  readonly #hub: HubLike;
  readonly #log: (line: string) => void;
  readonly #windows = new Map<number, WindowEntry>();

  constructor(hub: HubLike, log: (line: string) => void) {
    this.#hub = hub;
    this.#log = log;
  }

  /** Registers a window; its connection opens lazily and closes with it. */
  attach(win: BrowserWindow): void {
    const contents = win.webContents;
    const id = contents.id;
    const entry: WindowEntry = { contents, connection: null };
    this.#windows.set(id, entry);
    const drop = (): void => {
      entry.connection?.close();
      entry.connection = null;
    };
    // A reload starts a new page with no terminals of its own: the old ones go.
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) drop();
    });
    contents.on('render-process-gone', drop);
    win.on('closed', () => {
      drop();
      this.#windows.delete(id);
    });
  }

  /** The ipcMain listener for IPC_CHANNEL.toMain. */
  readonly onMessage = (event: IpcMainEvent, raw: unknown): void => {
    const entry = this.#windows.get(event.sender.id);
    if (entry === undefined) {
      this.#log(`refused IPC from web contents ${event.sender.id}: not a Modus window`);
      return;
    }
    let frame: WebFrameMain | null = null;
    try {
      frame = event.senderFrame;
    } catch {
      frame = null; // the frame was disposed while the message was in flight
    }
    const facts = {
      present: frame !== null,
      isMainFrameOfWindow: frame !== null && sameFrame(frame, entry.contents.mainFrame),
      url: frame?.url ?? '',
    };
    if (!isTrustedSender(facts)) {
      this.#log(`refused IPC from frame ${JSON.stringify(facts.url)} (main frame of the window: ${facts.isMainFrameOfWindow})`);
      return;
    }
    if (entry.connection === null) {
      entry.connection = this.#hub.connect((msg) => this.#send(entry, msg), {
        printToPdf: async () => new Uint8Array(await entry.contents.printToPDF({ printBackground: true })),
      });
    }
    entry.connection.receive(raw);
  };

  #send(entry: WindowEntry, msg: HostMessage): void {
    if (entry.contents.isDestroyed()) return;
    entry.contents.send(IPC_CHANNEL.toRenderer, msg);
  }

  /** Closes every connection (app quitting). */
  closeAll(): void {
    for (const entry of this.#windows.values()) {
      entry.connection?.close();
      entry.connection = null;
    }
  }
}
