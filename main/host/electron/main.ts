// Electron's main process: one hub (main/host/hub.ts) owning the terminals,
// windows that show dist/renderer over app://modus/, and the guards that
// keep the page a page (see security.ts and the README's security posture).

import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_CHANNEL } from '../../protocol.js';
import { resolve as resolvePath } from 'node:path';
import { createHub } from '../hub.js';
import { userConfigDir } from '../paths.js';
import { handleAppScheme, registerAppScheme } from './app-protocol.js';
import { IpcBridge } from './ipc-bridge.js';
import { buildMenuTemplate, nextZoomLevel, type MenuActions, type MenuChords, type ZoomAction } from './menu.js';
import { APP_ENTRY_URL, checkExternalUrl, externalLinkPrompt, isAllowedRequest } from './security.js';
import { denyAllPermissions, guardWebContents, mainWindowOptions } from './window.js';

const preloadPath = fileURLToPath(new URL('./preload.cjs', import.meta.url));
const rendererDir = fileURLToPath(new URL('../../../renderer/', import.meta.url));
/** DevTools and reload exist only when running from source (`npm start`), never in a package. */
const isDev = !app.isPackaged;

function log(line: string): void {
  process.stderr.write(`modus: ${line}\n`);
}

// Before `ready`: every renderer sandboxed, and app:// known as a standard, secure scheme.
app.enableSandbox();
// Chromium's profile (caches, local storage) gets its own folder instead of
// Electron's default, which is the very directory that holds settings.json.
if (!app.commandLine.hasSwitch('user-data-dir')) app.setPath('userData', join(userConfigDir(), 'electron'));
registerAppScheme(protocol);

app.on('web-contents-created', (_event, contents) => {
  guardWebContents(contents, (r) => log(`refused ${r.kind} to ${JSON.stringify(r.url)}`));
});

/** link.open from the renderer: checked, then confirmed by the user, then handed to the OS. */
async function openExternalLink(url: string): Promise<void> {
  const verdict = checkExternalUrl(url);
  if (!verdict.ok) {
    log(`refused to open ${JSON.stringify(url)}: ${verdict.reason}`);
    return;
  }
  const { message, detail } = externalLinkPrompt(verdict.url);
  const parent = BrowserWindow.getFocusedWindow();
  const options = { type: 'question' as const, buttons: ['Open', 'Cancel'], defaultId: 1, cancelId: 1, message, detail, noLink: true };
  const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  if (response === 0) await shell.openExternal(verdict.url);
}

function zoom(action: ZoomAction): void {
  const contents = BrowserWindow.getFocusedWindow()?.webContents;
  if (contents) contents.setZoomLevel(nextZoomLevel(contents.getZoomLevel(), action));
}

function createWindow(bridge: IpcBridge): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(preloadPath, { devTools: isDev }));
  bridge.attach(win);
  win.once('ready-to-show', () => win.show());
  win.loadURL(APP_ENTRY_URL).catch((e: unknown) => log(`could not load ${APP_ENTRY_URL}: ${(e as Error).message}`));
  return win;
}

async function start(): Promise<void> {
  await app.whenReady();
  const ses = session.defaultSession;
  handleAppScheme(ses.protocol, rendererDir);
  denyAllPermissions(ses, (permission) => log(`denied permission "${permission}"`));
  // Behind the CSP, a second wall: nothing but our own origin is fetched.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const cancel = !isAllowedRequest(details.url);
    if (cancel) log(`cancelled request to ${JSON.stringify(details.url)}`);
    callback({ cancel });
  });

  // The hub logs its own lines (already prefixed "modus:").
  // Notebooks named on the command line (`electron . NOTES.md`) open in the first window.
  const openNotebooks = process.argv.slice(1).filter((a) => /\.(md|markdown)$/i.test(a)).map((a) => resolvePath(a));
  const hub = createHub({ host: 'electron', openExternal: openExternalLink, log: (line) => process.stderr.write(`${line}\n`), openNotebooks });
  const bridge = new IpcBridge(hub, log);
  ipcMain.on(IPC_CHANNEL.toMain, bridge.onMessage);

  const actions: MenuActions = {
    zoom,
    toggleDevTools: () => BrowserWindow.getFocusedWindow()?.webContents.toggleDevTools(),
    reload: () => BrowserWindow.getFocusedWindow()?.webContents.reloadIgnoringCache(),
    quit: () => app.quit(),
    newSshTab: () => BrowserWindow.getFocusedWindow()?.webContents.send(IPC_CHANNEL.toRenderer, { type: 'action', action: 'newSshTab' }),
    openNotebook: () => {
      const win = BrowserWindow.getFocusedWindow();
      if (!win) return;
      dialog
        .showOpenDialog(win, { title: 'Open notebook', properties: ['openFile'], filters: [{ name: 'Markdown notebooks', extensions: ['md', 'markdown'] }, { name: 'All files', extensions: ['*'] }] })
        .then((r) => {
          const path = r.filePaths[0];
          if (!r.canceled && path && !win.isDestroyed()) win.webContents.send(IPC_CHANNEL.toRenderer, { type: 'notebook.open', path });
        })
        .catch((e: unknown) => log(`the open dialog failed: ${(e as Error).message}`));
    },
  };
  // The menu shows the chords in force; a remap in settings.json works in the page at once, so the menu follows at once too.
  let shown = '';
  const showMenu = ({ newSshTab, openNotebook }: MenuChords): void => {
    const chords = { newSshTab, openNotebook };
    if (JSON.stringify(chords) === shown) return;
    shown = JSON.stringify(chords);
    Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({ isDev, isMac: process.platform === 'darwin', actions, chords })));
  };
  showMenu(hub.currentSettings().settings.keybindings);
  hub.onSettingsChange((result) => showMenu(result.settings.keybindings));

  createWindow(bridge);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(bridge);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Hang up the shells and let a pending session save finish before exiting,
  // but never hold the quit for more than a few seconds.
  let hubClosed = false;
  app.on('will-quit', (event) => {
    if (hubClosed) return;
    event.preventDefault();
    bridge.closeAll();
    const deadline = new Promise<void>((done) => setTimeout(done, 3000).unref());
    Promise.race([hub.close(), deadline])
      .catch((e: unknown) => log(`closing the hub: ${(e as Error).message}`))
      .finally(() => {
        hubClosed = true;
        app.quit();
      });
  });
}

start().catch((e: unknown) => {
  log(`failed to start: ${(e as Error).stack ?? String(e)}`);
  app.exit(1);
});
