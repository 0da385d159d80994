// One notebook open in one renderer: the host's copy of the editor's text,
// what is on disk, trust, the analysis the editor draws, saving, noticing
// changes made by other programs, and putting run results into the editor.
//
// The file is the truth. The editor's text is the file plus the user's
// unsaved edits; results go to the file (the engine writes them, under the
// lock every writer takes) and into the editor as undoable edits, so an
// editor without unsaved edits still matches the file afterwards.

import { watch, type FSWatcher } from 'node:fs';
import { access, constants, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { minimalChange, type TextChange } from '../../notebook/text-change.js';
import { scanNotebook } from '../../notebook/scan.js';
import { spliceResults } from '../../notebook/splice.js';
import type { ResultEntry } from '../../notebook/types.js';
import { loadInventory, type LoadedInventory } from '../../inventory/inventory.js';
import { decodeNotebook, type NotebookFile } from '../../run/notebook-file.js';
import { saveNotebookText } from '../../run/notebook-save.js';
import { readPendingCommits } from '../../run/pending-commits.js';
import { isoSeconds } from '../../run/engine.js';
import { describeFileError } from '../../files/describe-error.js';
import { MAX_NOTEBOOK_CHARS, type BlockRunState, type HostMessage, type PendingCommitView } from '../../protocol.js';
import { analyzeNotebook } from './analysis-view.js';
import { MirrorError, NotebookMirror, type TrackedRange } from './notebook-mirror.js';
import type { RecentNotebooks } from './recent-notebooks.js';
import type { TrustStore } from './trust-store.js';

/** What every open notebook of a hub shares. */
export interface NotebookContext {
  send(msg: HostMessage): void;
  trust: TrustStore;
  recent: RecentNotebooks;
  log(line: string): void;
  home: string;
  /** The ssh_config the user set (settings sshConfig), null for ~/.ssh/config. */
  sshConfig(): string | null;
  /** Electron: the window printed to PDF. */
  printToPdf?: () => Promise<Uint8Array>;
}

/**
 * Analysis once typing pauses this long; the last change is always analysed.
 * Meanwhile Monaco moves the statuses and lenses with the text, so only
 * problems and staleness wait, as a language server's diagnostics do.
 */
const ANALYSIS_PAUSE_MS = 150;
/** While the user types without a pause, still an analysis this often. */
const ANALYSIS_MAX_WAIT_MS = 1000;
/** Changes on disk are read this long after the last event (an editor's save is several events). */
const DISK_SETTLE_MS = 50;

export class NotebookOpenError extends Error {}

/** A block being run, followed through the user's edits. */
export interface RunningBlock {
  range: TrackedRange;
  state: BlockRunState;
  since: string;
  runId: number;
  /** While it waits: why (its session is held by hand in a terminal tab). */
  note?: string | null;
}

interface PendingApply {
  reason: 'results' | 'reload';
  /** The changes against the text as it is now; null when they no longer apply (then `gone` says why). */
  compute(): TextChange[] | null;
  gone: string;
  /** Called once the edit is in the editor, or given up. */
  done?: () => void;
}

export class OpenNotebook {
  readonly mirror: NotebookMirror;
  /** The file's text as last read or written by this host (BOM included). */
  private diskText: string;
  private readonly bom: string;
  trusted: boolean;
  private vars: Record<string, string> = {};
  private inventory: LoadedInventory | undefined;
  private inventoryDeclared: unknown = undefined;
  private analysisTimer: NodeJS.Timeout | null = null;
  /** When the change that the pending analysis waits for first came (Date.now()). */
  private analysisWaitingSince: number | null = null;
  private diskTimer: NodeJS.Timeout | null = null;
  private watcher: FSWatcher | null = null;
  private lastState = '';
  /** The file's text last shown in a conflict (each change is shown once). */
  private conflictShown: string | null = null;
  private closed = false;
  /** Blocks of runs, by tracked range. */
  readonly running = new Set<RunningBlock>();
  /** NotebookFiles of runs in progress: their writes are this host's own. */
  readonly writers = new Set<NotebookFile>();
  private readonly applies: PendingApply[] = [];
  private inFlight: { id: number; item: PendingApply } | null = null;
  private nextApplyId = 1;
  /** Appends Modus is making to the file (settle blocks, Send to notebook, Record), until their text is registered here. */
  private readonly modusWrites = new Set<Promise<void>>();
  /** Saves, conflict choices, trust and disk checks, one at a time and in the order asked. */
  private serial: Promise<unknown> = Promise.resolve();
  /** The pending commits last sent to the editor (JSON), a read of the journal in progress, and whether another was asked meanwhile. */
  private pendingSent: string | null = null;
  private pendingReading = false;
  private pendingAgain = false;

  private constructor(
    private readonly ctx: NotebookContext,
    readonly doc: number,
    readonly path: string,
    readonly name: string,
    text: string,
    /** Why the editor may not change the file (null: it may). */
    readonly readOnly: string | null,
  ) {
    this.diskText = text;
    this.bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
    this.mirror = new NotebookMirror(text.slice(this.bom.length));
    this.trusted = ctx.trust.isTrusted(path, text);
  }

  static async open(ctx: NotebookContext, doc: number, requested: string): Promise<OpenNotebook> {
    const expanded = requested.startsWith('~/') ? join(ctx.home, requested.slice(2)) : requested;
    if (!isAbsolute(expanded)) throw new NotebookOpenError(`${requested}: give an absolute path (or one starting with ~/)`);
    let real: string;
    try {
      real = await realpath(expanded);
      const st = await stat(real);
      if (!st.isFile()) throw new NotebookOpenError(`${requested} is not a file`);
      if (st.size > MAX_NOTEBOOK_CHARS) throw new NotebookOpenError(`${requested} is ${st.size} bytes; Modus opens notebooks of up to ${MAX_NOTEBOOK_CHARS} bytes in the app (modus run works on any size)`);
    } catch (e) {
      if (e instanceof NotebookOpenError) throw e;
      throw new NotebookOpenError(`cannot open ${requested}: ${describeFileError(e)}`);
    }
    let text: string;
    try {
      text = decodeNotebook(await readFile(real), requested);
    } catch (e) {
      throw new NotebookOpenError((e as Error).message);
    }
    const nb = new OpenNotebook(ctx, doc, real, basename(real), text, await readOnlyReason(real, text));
    await nb.reloadInventory();
    nb.watch();
    ctx.send({ type: 'nb.opened', doc, path: real, name: nb.name, text: nb.mirror.text, trusted: nb.trusted, readOnly: nb.readOnly !== null });
    if (nb.readOnly) ctx.send({ type: 'nb.error', doc, message: `${nb.name} opens read-only: ${nb.readOnly}` });
    nb.sendState();
    nb.analyzeSoon(0);
    nb.refreshPending();
    void ctx.recent.opened(real).catch((e: unknown) => ctx.log(`modus: cannot update the recent notebooks: ${(e as Error).message}`));
    return nb;
  }

  get dirty(): boolean {
    return this.bom + this.mirror.text !== this.diskText;
  }

  /** The editor's text as the file would hold it. */
  get fileText(): string {
    return this.bom + this.mirror.text;
  }

  /** Offset in the editor's text of an offset in the file's (they differ by the BOM, which editors hide). */
  editorOffset(fileOffset: number): number {
    return fileOffset - this.bom.length;
  }

  // ------------------------------------------------------------ editing

  edit(version: number, changes: readonly TextChange[], applied: number | undefined): void {
    if (this.readOnly) throw new MirrorError(`${this.name} is read-only here (${this.readOnly})`);
    this.mirror.apply(version, changes);
    if (applied !== undefined && this.inFlight?.id === applied) {
      this.inFlight.item.done?.();
      this.inFlight = null;
      this.nextApply();
    }
    this.sendState();
    this.analyzeSoon();
  }

  setVars(vars: Record<string, string>): void {
    this.vars = { ...vars };
    this.analyzeSoon(0);
  }

  variables(): Record<string, string> {
    return { ...this.vars };
  }

  save(version: number): Promise<boolean> {
    return this.inTurn(() => this.saveNow(version));
  }

  private inTurn<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.serial.then(fn, fn);
    this.serial = next.catch(() => undefined);
    return next;
  }

  private async saveNow(version: number): Promise<boolean> {
    if (this.readOnly) {
      this.error(`${this.name} cannot be saved from here: ${this.readOnly}`);
      return false;
    }
    // Typing that arrived after the save was asked is the user's own and goes too: what is saved is the editor's text now.
    void version;
    if (!this.dirty) return true;
    const text = this.fileText;
    const outcome = await saveNotebookText(this.path, text, this.diskText);
    if (outcome.saved) {
      this.diskText = text;
      if (this.trusted) await this.ctx.trust.trust(this.path, text).catch((e: Error) => this.ctx.log(`modus: cannot record trust: ${e.message}`));
      this.sendState();
      void this.reloadInventory().then(() => this.analyzeSoon(0));
      return true;
    }
    if ('conflict' in outcome) {
      this.conflictShown = outcome.conflict;
      this.ctx.send({ type: 'nb.conflict', doc: this.doc, diskText: outcome.conflict.slice(outcome.conflict.charCodeAt(0) === 0xfeff ? 1 : 0) });
      return false;
    }
    this.error(outcome.error);
    return false;
  }

  /** After a conflict: take the file's text into the editor, or keep the editor's (the next save overwrites the file). */
  resolve(take: 'disk' | 'mine'): Promise<void> {
    return this.inTurn(() => this.resolveNow(take));
  }

  private async resolveNow(take: 'disk' | 'mine'): Promise<void> {
    const onDisk = await this.readDisk();
    if (onDisk === null) return;
    this.diskText = onDisk;
    this.conflictShown = null;
    this.trusted = this.ctx.trust.isTrusted(this.path, onDisk);
    if (take === 'disk') this.replaceWithDisk();
    this.sendState();
  }

  trust(version: number): Promise<void> {
    return this.inTurn(() => this.trustNow(version));
  }

  private async trustNow(version: number): Promise<void> {
    // What is trusted is what the user sees, with what they typed since they asked; saving keeps it trusted.
    void version;
    await this.ctx.trust.trust(this.path, this.fileText);
    this.trusted = true;
    this.sendState();
  }

  // ------------------------------------------------------------ results and reloads into the editor

  /** Puts a block's results into the editor where the block is now (it may have moved, or been edited, since it started). */
  applyResults(block: RunningBlock, number: number, entries: readonly ResultEntry[], mode: 'replace' | 'append'): void {
    if (this.readOnly) {
      this.mirror.untrack(block.range); // the file's new text replaces the editor's whole (diskWritten)
      return;
    }
    this.queueApply({
      reason: 'results',
      // The block is followed until its results are in the editor.
      done: () => this.mirror.untrack(block.range),
      gone: `block ${number} was deleted from the editor while it ran; its results are in the file and the journal`,
      compute: () => {
        const nb = scanNotebook(this.mirror.text, this.name);
        const found = nb.blocks.find((b) => b.span.start === block.range.start);
        if (!found) return null;
        const spliced = spliceResults(nb, found, entries, mode, this.name);
        const edit = spliced.edits[0];
        if (spliced.error || !edit) return null;
        return [{ offset: edit.span.start, length: edit.span.end - edit.span.start, text: edit.newText }];
      },
    });
  }

  /** Our own write reached the file: it is what the file holds now. */
  diskWritten(text: string): void {
    this.diskText = text;
    if (this.readOnly) this.showReadOnly(text);
    this.sendState();
  }

  /** A read-only editor shows the file as it is now, whole (its text may differ from the file's in line endings, so offsets would not fit). */
  private showReadOnly(text: string): void {
    const shown = text.slice(this.bom.length);
    if (shown === this.mirror.text) return;
    this.mirror.reset(shown);
    this.ctx.send({ type: 'nb.apply', doc: this.doc, apply: this.nextApplyId++, base: this.mirror.version, changes: [{ offset: 0, length: 0, text: shown }], reason: 'reload' });
    this.analyzeSoon(0);
  }

  /**
   * Modus appended to the file (a terminal's commands, a Confirm of a pending
   * commit): the editor gets the same addition, and stays as saved or unsaved
   * as it was. Resolves once the editor has it (or it could not be put there).
   */
  appendedByModus(before: string, after: string): Promise<void> {
    const wasDirty = this.dirty;
    this.diskText = after;
    let inEditor: Promise<void> = Promise.resolve();
    if (this.readOnly) this.showReadOnly(after);
    else if (!wasDirty) inEditor = this.replaceWithDisk();
    else {
      const added = after.startsWith(before) ? after.slice(before.length) : '';
      if (added !== '') inEditor = new Promise((done) => this.queueApply({ reason: 'reload', gone: '', done, compute: () => [{ offset: this.mirror.text.length, length: 0, text: added }] }));
    }
    this.sendState();
    return inEditor;
  }

  private replaceWithDisk(): Promise<void> {
    const target = this.diskText.slice(this.bom.length);
    return new Promise((done) =>
      this.queueApply({
        reason: 'reload',
        gone: '',
        done,
        compute: () => {
          const change = minimalChange(this.mirror.text, target);
          return change ? [change] : [];
        },
      }),
    );
  }

  private queueApply(item: PendingApply): void {
    this.applies.push(item);
    if (!this.inFlight) this.nextApply();
  }

  private nextApply(): void {
    while (!this.inFlight && this.applies.length > 0 && !this.closed) {
      const item = this.applies.shift()!;
      this.sendApply(item);
    }
  }

  private sendApply(item: PendingApply): void {
    const changes = item.compute();
    if (changes === null) {
      if (item.gone) this.error(item.gone);
      item.done?.();
      return;
    }
    if (changes.length === 0) {
      item.done?.();
      return;
    }
    const id = this.nextApplyId++;
    this.inFlight = { id, item };
    this.ctx.send({ type: 'nb.apply', doc: this.doc, apply: id, base: this.mirror.version, changes, reason: item.reason });
  }

  /** The editor had moved on: the same edit, made again against the text the host has now (it has every change the editor sent before saying so). */
  applyRejected(id: number): void {
    if (this.inFlight?.id !== id) return;
    const { item } = this.inFlight;
    this.inFlight = null;
    this.sendApply(item);
    this.nextApply();
  }

  // ------------------------------------------------------------ changes on disk

  private watch(): void {
    try {
      // The directory, not the file: editors and Modus itself replace the file by renaming over it.
      this.watcher = watch(dirname(this.path), (_event, file) => {
        if (file === null || file === basename(this.path)) this.diskChangedSoon();
      });
      this.watcher.on('error', (e) => this.ctx.log(`modus: stopped watching ${this.path} for changes: ${e.message}`));
    } catch (e) {
      this.ctx.log(`modus: cannot watch ${this.path} for changes (${(e as Error).message}); changes by other programs show at the next save`);
    }
  }

  private diskChangedSoon(): void {
    if (this.diskTimer) clearTimeout(this.diskTimer);
    this.diskTimer = setTimeout(() => {
      this.diskTimer = null;
      void this.checkDisk().catch((e: Error) => this.ctx.log(`modus: checking ${this.path} for changes: ${e.message}`));
    }, DISK_SETTLE_MS);
  }

  /** Reads the file; a text that is neither ours nor a run's own write is a change by another program. */
  checkDisk(): Promise<void> {
    return this.inTurn(() => this.checkDiskNow());
  }

  /**
   * `write` changes the file on Modus's behalf and registers its text
   * (appendedByModus) when it is done. Until then a change seen on disk
   * waits: read in between, Modus's own append looked like another
   * program's, so the notebook lost its trust and the editor was reloaded
   * under the append, which then added the block a second time (seen once in
   * a CI run of the Roll back now test).
   */
  expectModusWrite(write: Promise<unknown>): void {
    const done = write.then(
      () => undefined,
      () => undefined,
    );
    this.modusWrites.add(done);
    void done.then(() => this.modusWrites.delete(done));
  }

  private async checkDiskNow(): Promise<void> {
    let onDisk: string | null;
    do {
      await Promise.all([...[...this.writers].map((w) => w.settled()), ...this.modusWrites]);
      onDisk = await this.readDisk();
      // An append that began while we read: read again once it is registered.
    } while (this.modusWrites.size > 0);
    if (onDisk === null || onDisk === this.diskText || this.closed) return;
    if ([...this.writers].some((w) => w.notebook.text === onDisk)) {
      this.diskWritten(onDisk);
      return;
    }
    this.trusted = this.ctx.trust.isTrusted(this.path, onDisk);
    if (this.readOnly) {
      this.diskText = onDisk;
      this.showReadOnly(onDisk);
    } else if (!this.dirty) {
      this.diskText = onDisk;
      void this.replaceWithDisk();
    } else if (onDisk !== this.conflictShown) {
      // The known text stays the old one until the user chooses: a save must not overwrite what they have not seen.
      this.conflictShown = onDisk;
      this.ctx.send({ type: 'nb.conflict', doc: this.doc, diskText: onDisk.slice(onDisk.charCodeAt(0) === 0xfeff ? 1 : 0) });
    }
    this.sendState();
    // Another program's run (modus run in a terminal) may have committed or confirmed something.
    this.refreshPending();
    void this.reloadInventory().then(() => this.analyzeSoon(0));
  }

  private async readDisk(): Promise<string | null> {
    try {
      return decodeNotebook(await readFile(this.path), this.name);
    } catch (e) {
      this.error(`cannot read ${this.path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it was deleted or renamed; save to write it again' : (e as Error).message}`);
      return null;
    }
  }

  // ------------------------------------------------------------ analysis

  /**
   * Analyses after `delay` (0: at once). Edits wait for a pause in typing:
   * in a 1 MB notebook an analysis costs the host tens of milliseconds, and
   * one every 150 ms while typing took half a core from the page beside it.
   */
  analyzeSoon(delay = ANALYSIS_PAUSE_MS): void {
    if (this.closed) return;
    if (this.analysisTimer) clearTimeout(this.analysisTimer);
    const now = Date.now();
    this.analysisWaitingSince ??= now;
    const wait = Math.max(0, Math.min(delay, this.analysisWaitingSince + ANALYSIS_MAX_WAIT_MS - now));
    this.analysisTimer = setTimeout(() => {
      this.analysisTimer = null;
      this.analysisWaitingSince = null;
      this.analyze();
    }, wait);
  }

  private analyze(): void {
    if (this.closed) return;
    const declared = scanNotebook(this.mirror.text.slice(0, 64 * 1024), this.name).frontMatter?.data?.inventory;
    if (declared !== this.inventoryDeclared) void this.reloadInventory().then(() => this.analyzeSoon(0));
    const analysis = analyzeNotebook({
      text: this.mirror.text,
      version: this.mirror.version,
      file: this.name,
      ...(this.inventory ? { inventory: this.inventory } : {}),
      vars: this.vars,
      runStateAt: (offset) => {
        for (const r of this.running) if (r.range.start === offset) return { state: r.state, since: r.since, runId: r.runId, ...(r.note ? { note: r.note } : {}) };
        return null;
      },
    });
    this.ctx.send({ type: 'nb.analysis', doc: this.doc, analysis });
  }

  private async reloadInventory(): Promise<void> {
    const declared = scanNotebook(this.mirror.text, this.name).frontMatter?.data?.inventory;
    this.inventoryDeclared = declared;
    const sshConfig = this.ctx.sshConfig();
    try {
      this.inventory = await loadInventory({
        notebookPath: this.path,
        declared,
        ...(sshConfig !== null ? { sshConfigPath: sshConfig } : {}),
      });
    } catch (e) {
      this.inventory = undefined;
      this.ctx.log(`modus: cannot read the inventory of ${this.path}: ${(e as Error).message}`);
    }
  }

  loadedInventory(): LoadedInventory | undefined {
    return this.inventory;
  }

  // ------------------------------------------------------------ pending commits confirmed

  /**
   * Reads the commits confirmed this notebook's runs left pending (from its
   * journal) and tells the editor when they changed. Reads do not overlap;
   * one asked during a read is made after it.
   */
  refreshPending(): void {
    if (this.closed) return;
    if (this.pendingReading) {
      this.pendingAgain = true;
      return;
    }
    this.pendingReading = true;
    void (async () => {
      do {
        this.pendingAgain = false;
        try {
          const pending: PendingCommitView[] = (await readPendingCommits(this.path, new Date())).map((p) => ({
            host: p.host,
            rollbackAt: isoSeconds(p.rollbackAt),
            block: p.block + 1,
            name: p.name,
          }));
          const key = JSON.stringify(pending);
          if (key !== this.pendingSent && !this.closed) {
            this.pendingSent = key;
            this.ctx.send({ type: 'nb.pending', doc: this.doc, pending });
          }
        } catch (e) {
          this.ctx.log(`modus: cannot read the journal of ${this.path} for commits confirmed still pending: ${(e as Error).message}`);
        }
      } while (this.pendingAgain && !this.closed);
      this.pendingReading = false;
    })();
  }

  // ------------------------------------------------------------ state to the renderer

  sendState(): void {
    const dirty = this.dirty;
    const key = `${dirty}/${this.trusted}`;
    if (key === this.lastState) return;
    this.lastState = key;
    this.ctx.send({ type: 'nb.state', doc: this.doc, dirty, trusted: this.trusted, savedVersion: dirty ? null : this.mirror.version });
  }

  error(message: string): void {
    this.ctx.send({ type: 'nb.error', doc: this.doc, message });
  }

  close(): void {
    this.closed = true;
    this.watcher?.close();
    if (this.analysisTimer) clearTimeout(this.analysisTimer);
    if (this.diskTimer) clearTimeout(this.diskTimer);
    // Edits that will never reach an editor: whoever waits for one (a Confirm about to run its block) is told it is over.
    const waiting = [...(this.inFlight ? [this.inFlight.item] : []), ...this.applies.splice(0)];
    this.inFlight = null;
    for (const item of waiting) item.done?.();
  }
}

/** Why the editor must not write this file, or null. */
async function readOnlyReason(real: string, text: string): Promise<string | null> {
  // Editors keep one kind of line ending per text; saving would change the others.
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  const cr = (text.match(/\r(?!\n)/g) ?? []).length;
  if ((crlf > 0 && lf > 0) || cr > 0) {
    return 'it mixes line endings (CRLF and LF, or lone CR), and the editor would change them all on save; runs still write their results into it without touching anything else';
  }
  try {
    await access(real, constants.W_OK);
    const st = await stat(real);
    if ((st.mode & 0o222) === 0) return 'the file is read-only';
  } catch {
    return 'this user cannot write the file';
  }
  return null;
}
