// The settings file on disk: read, validated, watched. A change to the file
// (saved from any editor, which may write in place or replace the file)
// is re-read after a short debounce and announced once.

import { readFileSync, watch, mkdirSync, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { validateSettingsText, type SettingsResult } from './validate.js';
import { defaultSettings } from './defaults.js';

/** Editors save in bursts (truncate, write, rename); wait for quiet before re-reading. */
const DEBOUNCE_MS = 100;

export function readSettingsFile(file: string): SettingsResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return { settings: defaultSettings(), problems: [] };
    return {
      settings: defaultSettings(),
      problems: [{ file, line: 1, column: 1, message: `cannot read the settings file (${err.code ?? err.message}); using the defaults` }],
    };
  }
  return validateSettingsText(text, file);
}

export class SettingsStore {
  #current: SettingsResult;
  #fingerprint: string;
  #watcher: FSWatcher | null = null;
  #timer: NodeJS.Timeout | null = null;
  #listeners = new Set<(result: SettingsResult) => void>();

  constructor(readonly file: string) {
    this.#current = readSettingsFile(file);
    this.#fingerprint = JSON.stringify(this.#current);
  }

  get current(): SettingsResult {
    return this.#current;
  }

  /** Re-reads the file now; listeners hear about it only when something changed. Returns the result. */
  reload(): SettingsResult {
    const next = readSettingsFile(this.file);
    const fingerprint = JSON.stringify(next);
    if (fingerprint !== this.#fingerprint) {
      this.#current = next;
      this.#fingerprint = fingerprint;
      for (const listener of this.#listeners) listener(next);
    }
    return this.#current;
  }

  /** Calls `listener` after each change; watching starts with the first listener. */
  onChange(listener: (result: SettingsResult) => void): () => void {
    this.#listeners.add(listener);
    this.#startWatching();
    return () => this.#listeners.delete(listener);
  }

  #startWatching(): void {
    if (this.#watcher) return;
    const dir = dirname(this.file);
    const name = basename(this.file);
    // Watch the directory, not the file: editors that save by rename would leave a file watcher on a dead inode.
    mkdirSync(dir, { recursive: true });
    this.#watcher = watch(dir, { persistent: false }, (_event, changed) => {
      if (changed !== null && changed !== name) return;
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.reload();
      }, DEBOUNCE_MS);
    });
    this.#watcher.on('error', () => {
      // The directory went away; settings stay as they were until the next reload request.
      this.#watcher?.close();
      this.#watcher = null;
    });
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#watcher?.close();
    this.#watcher = null;
    this.#listeners.clear();
  }
}
