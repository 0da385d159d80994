// The window's web preferences and the guards every web contents gets.
// Types only from 'electron': the objects come from main.ts.

import type { BrowserWindowConstructorOptions, Session, WebContents, WebPreferences } from 'electron';
import { isAllowedNavigation, isPermissionGranted } from './security.js';

/**
 * The renderer's preferences, each one stated even where it is Electron's
 * default, so a future default change or a stray edit shows up in review and
 * in test/unit/electron/window.test.ts.
 */
export function secureWebPreferences(preloadPath: string, options: { devTools: boolean }): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: options.devTools,
  };
}

export function mainWindowOptions(preloadPath: string, options: { devTools: boolean; title?: string }): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 400,
    minHeight: 300,
    title: options.title ?? 'Modus',
    // Shown once the first paint is ready, so there is no white flash.
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: secureWebPreferences(preloadPath, { devTools: options.devTools }),
  };
}

export type Refusal = { kind: 'navigation' | 'redirect' | 'frame-navigation' | 'window-open' | 'webview'; url: string };

/**
 * Denies navigation away from the UI, redirects, frame navigations, new
 * windows and <webview>, on any web contents. `onRefused` is told what was
 * refused (logged by main). Links the user wants to follow go through the
 * protocol's `link.open`, not through navigation.
 */
export function guardWebContents(contents: WebContents, onRefused: (r: Refusal) => void): void {
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) {
      event.preventDefault();
      onRefused({ kind: 'navigation', url: event.url });
    }
  });
  contents.on('will-frame-navigate', (event) => {
    // Sub-frames have no business navigating at all; the main frame only to our document.
    if (!event.isMainFrame || !isAllowedNavigation(event.url)) {
      event.preventDefault();
      onRefused({ kind: 'frame-navigation', url: event.url });
    }
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url)) {
      event.preventDefault();
      onRefused({ kind: 'redirect', url: event.url });
    }
  });
  contents.setWindowOpenHandler(({ url }) => {
    onRefused({ kind: 'window-open', url });
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event, _webPreferences, params) => {
    event.preventDefault();
    onRefused({ kind: 'webview', url: params.src });
  });
}

/** Every permission request and check on the session is answered "no". */
export function denyAllPermissions(session: Session, onRefused: (permission: string) => void): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    const granted = isPermissionGranted(permission);
    if (!granted) onRefused(permission);
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission) => isPermissionGranted(permission));
  // Device pickers (HID, serial, USB, Bluetooth) get no devices either.
  session.setDevicePermissionHandler(() => false);
}
