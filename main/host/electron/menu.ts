// The application menu, as a template built from plain data so the
// accelerators and the dev-only items are unit-tested without Electron.

import type { MenuItemConstructorOptions } from 'electron';
import type { KeyAction } from '../../protocol.js';

export type ZoomAction = 'in' | 'out' | 'reset';

export interface MenuActions {
  zoom(action: ZoomAction): void;
  /** Opens the SSH host picker in the focused window (a HostMessage `{ type: 'action', action: 'newSshTab' }`); absent: no menu item. */
  newSshTab?(): void;
  /** A native file dialog for a notebook, opened in the focused window (`{ type: 'notebook.open', path }`); absent: no menu item. */
  openNotebook?(): void;
  toggleDevTools(): void;
  reload(): void;
  quit(): void;
}

/** The renderer's chords the menu shows beside its items (settings.keybindings, canonical; "" when unbound). */
export type MenuChords = Pick<Record<KeyAction, string>, 'newSshTab' | 'openNotebook'>;

/** Keys a canonical chord (main/settings/chords.ts) names otherwise than Electron's accelerators do. */
const ACCELERATOR_KEYS: Record<string, string> = { ArrowUp: 'Up', ArrowDown: 'Down', ArrowLeft: 'Left', ArrowRight: 'Right' };

/** A canonical chord as an Electron accelerator ("Ctrl+Shift+ArrowUp" → "Ctrl+Shift+Up"); undefined for an unbound action. */
export function acceleratorOf(chord: string): string | undefined {
  if (chord === '') return undefined;
  const parts = chord.split('+');
  // Canonical chords spell the + key "Plus": every "+" separates two parts, and the last part is the key.
  const key = parts.pop()!;
  return [...parts, ACCELERATOR_KEYS[key] ?? key].join('+');
}

/** Chromium's zoom levels: each step is ×1.2; clamp where text stays usable. */
export const ZOOM_STEP = 0.5;
export const ZOOM_MIN = -3;
export const ZOOM_MAX = 5;

/** The next zoom level for an action, clamped to [ZOOM_MIN, ZOOM_MAX]. */
export function nextZoomLevel(current: number, action: ZoomAction): number {
  if (action === 'reset') return 0;
  const next = current + (action === 'in' ? ZOOM_STEP : -ZOOM_STEP);
  return Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, next));
}

export function buildMenuTemplate(options: { isDev: boolean; isMac: boolean; actions: MenuActions; chords: MenuChords }): MenuItemConstructorOptions[] {
  const { isDev, isMac, actions, chords } = options;
  // On Linux and Windows the zoom keys belong to the renderer, which binds
  // Ctrl+= / Ctrl+- / Ctrl+0 itself (remappable in settings, same in the
  // browser host): the menu shows them but does not grab them, or one key
  // press would zoom twice and a remapped key would still be stolen. On macOS
  // Cmd+= is free, so the menu takes it (with Cmd+Plus and keypad aliases).
  const grab = isMac;
  const alias = (accelerator: string, action: ZoomAction): MenuItemConstructorOptions =>
    ({ label: 'Zoom', accelerator, click: () => actions.zoom(action), visible: false, acceleratorWorksWhenHidden: true });
  const view: MenuItemConstructorOptions[] = [
    { label: 'Zoom In', accelerator: 'CommandOrControl+=', registerAccelerator: grab, click: () => actions.zoom('in') },
    { label: 'Zoom Out', accelerator: 'CommandOrControl+-', registerAccelerator: grab, click: () => actions.zoom('out') },
    { label: 'Actual Size', accelerator: 'CommandOrControl+0', registerAccelerator: grab, click: () => actions.zoom('reset') },
    ...(grab ? [alias('CommandOrControl+Plus', 'in'), alias('CommandOrControl+numadd', 'in'), alias('CommandOrControl+numsub', 'out'), alias('CommandOrControl+num0', 'reset')] : []),
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (isDev) {
    view.push(
      { type: 'separator' },
      { label: 'Reload', accelerator: 'CommandOrControl+Shift+R', click: () => actions.reload() },
      { label: 'Toggle Developer Tools', accelerator: isMac ? 'Alt+Command+I' : 'Ctrl+Shift+I', click: () => actions.toggleDevTools() },
    );
  }
  // The chords are the renderer's (settings.keybindings, remappable): the ones in force are shown here, never grabbed.
  const rendererChord = (chord: string): Pick<MenuItemConstructorOptions, 'accelerator' | 'registerAccelerator'> => {
    const accelerator = acceleratorOf(chord);
    return accelerator === undefined ? {} : { accelerator, registerAccelerator: false };
  };
  const sshTab: MenuItemConstructorOptions[] = [
    ...(actions.openNotebook ? [{ label: 'Open Notebook…', ...rendererChord(chords.openNotebook), click: () => actions.openNotebook?.() }] : []),
    ...(actions.newSshTab ? [{ label: 'New SSH Tab…', ...rendererChord(chords.newSshTab), click: () => actions.newSshTab?.() }] : []),
  ];
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) {
    // Command-based shortcuts cannot collide with what a shell reads.
    const file: MenuItemConstructorOptions = sshTab.length > 0 ? { label: 'File', submenu: [...sshTab, { type: 'separator' }, { role: 'close' }] } : { role: 'fileMenu' };
    template.push({ role: 'appMenu' }, file, { role: 'editMenu' }, { label: 'View', submenu: view }, { role: 'windowMenu' });
  } else {
    // No Edit or Window roles here: their accelerators (Ctrl+C, Ctrl+V,
    // Ctrl+Z, Ctrl+A, Ctrl+W, Ctrl+Q...) are keys a shell needs. Copy and
    // paste are Ctrl+Shift+C/V in the renderer.
    const separated: MenuItemConstructorOptions[] = sshTab.length > 0 ? [...sshTab, { type: 'separator' }] : [];
    template.push(
      { label: 'File', submenu: [...separated, { label: 'Quit', accelerator: 'Ctrl+Shift+Q', click: () => actions.quit() }] },
      { label: 'View', submenu: view },
    );
  }
  return template;
}

/** Every accelerator a template actually grabs from the keyboard, flattened (for tests and conflict checks). */
export function acceleratorsOf(template: MenuItemConstructorOptions[]): string[] {
  const out: string[] = [];
  const walk = (items: MenuItemConstructorOptions[]): void => {
    for (const item of items) {
      if (typeof item.accelerator === 'string' && item.registerAccelerator !== false) out.push(item.accelerator);
      if (Array.isArray(item.submenu)) walk(item.submenu);
    }
  };
  walk(template);
  return out;
}
