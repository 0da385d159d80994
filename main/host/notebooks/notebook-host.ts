// The notebook half of a renderer connection: its open notebooks, their
// runs, the questions a run asks (:confirm) and the live output streams,
// and each notebook's targets and `:session` shells, which live as long as
// the notebook is open and can be opened in a terminal tab by hand.
// The hub hands it every `nb.*`, `fs.*` and `recent.*` message.

import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { appendToNotebook, notesTitle, type AppendOutcome } from '../../run/notebook-append.js';
import type { ConfirmAnswer } from '../../run/engine.js';
import { buildNotebookReport } from '../../run/notebook-report.js';
import { formatMessage } from '../../notebook/messages.js';
import { writeFileAtomic } from '../../files/atomic-write.js';
import { describeFileError } from '../../files/describe-error.js';
import type { ClientMessage, HeldSessionRef, HostMessage, NotebookRunSummary } from '../../protocol.js';
import type { SecretPrompter } from '../../targets/ssh/askpass.js';
import type { SshDestination } from '../../targets/ssh/destination.js';
import type { LentMaster } from '../../targets/ssh/ssh-connection.js';
import type { SessionHold, SessionHolder } from '../../targets/target.js';
import { LiveOutput } from './live-output.js';
import { NotebookTargets } from './notebook-targets.js';
import { openNotebookSession } from './notebook-session.js';
import { MirrorError } from './notebook-mirror.js';
import { runFromApp, type RunHooks, type RunRequest } from './notebook-run.js';
import { readPendingCommits, type PendingCommit } from '../../run/pending-commits.js';
import { isoSeconds } from '../../run/engine.js';
import { scanNotebook } from '../../notebook/scan.js';
import { NotebookOpenError, OpenNotebook, type NotebookContext } from './open-notebook.js';
import { completePath } from './path-completion.js';

type NotebookMessage = Extract<ClientMessage, { type: `nb.${string}` | `fs.${string}` | `recent.${string}` }>;

export function isNotebookMessage(msg: ClientMessage): msg is NotebookMessage {
  return msg.type.startsWith('nb.') || msg.type.startsWith('fs.') || msg.type.startsWith('recent.');
}

interface Question {
  doc: number;
  answer(a: ConfirmAnswer): void;
}

interface SecretQuestion {
  doc: number;
  answer(secret: string | null): void;
}

export class NotebookHost {
  private readonly docs = new Map<number, OpenNotebook>();
  private readonly opening = new Set<number>();
  private readonly runs = new Map<number, { doc: number; abort: AbortController; done: Promise<void> }>();
  private readonly questions = new Map<number, Question>();
  private readonly secrets = new Map<number, SecretQuestion>();
  private readonly streams: LiveOutput;
  /** Each open notebook's targets and sessions. */
  private readonly targets = new Map<number, NotebookTargets>();
  /** Targets being closed (after their notebook's runs end). */
  private readonly closing = new Set<Promise<void>>();
  private nextQuestion = 1;
  private closed = false;

  constructor(private readonly ctx: NotebookContext) {
    this.streams = new LiveOutput((m) => ctx.send(m));
  }

  handle(msg: NotebookMessage): void {
    switch (msg.type) {
      case 'nb.open':
        void this.open(msg.doc, msg.path);
        return;
      case 'nb.edit': {
        const nb = this.doc(msg.doc, msg.type);
        if (!nb) return;
        try {
          nb.edit(msg.version, msg.changes, msg.applied);
        } catch (e) {
          if (!(e instanceof MirrorError)) throw e;
          // The host's copy no longer matches the editor: nothing it computes could be trusted. Reopening reads the file again.
          this.ctx.log(`modus: notebook ${nb.path}: ${e.message}`);
          this.send({ type: 'nb.error', doc: msg.doc, message: `the app lost track of this editor's text (${e.message}); close the tab and open the notebook again (unsaved changes: copy them first)` });
        }
        return;
      }
      case 'nb.apply.rejected':
        this.doc(msg.doc, msg.type)?.applyRejected(msg.apply);
        return;
      case 'nb.vars':
        this.doc(msg.doc, msg.type)?.setVars(msg.vars);
        return;
      case 'nb.save':
        void this.doc(msg.doc, msg.type)?.save(msg.version);
        return;
      case 'nb.resolve':
        void this.doc(msg.doc, msg.type)?.resolve(msg.take);
        return;
      case 'nb.trust':
        void this.doc(msg.doc, msg.type)?.trust(msg.version);
        return;
      case 'nb.close': {
        const nb = this.docs.get(msg.doc);
        nb?.close();
        this.docs.delete(msg.doc);
        this.dropQuestions(msg.doc, 'the notebook was closed before anyone answered');
        this.closeTargets(msg.doc);
        return;
      }
      case 'nb.run':
        this.run(msg);
        return;
      case 'nb.settle':
        this.settle(msg);
        return;
      case 'nb.cancel':
        for (const [id, r] of this.runs) if (r.doc === msg.doc && (msg.run === null || msg.run === id)) r.abort.abort();
        return;
      case 'nb.confirm.answer': {
        const q = this.questions.get(msg.request);
        if (!q) return;
        this.questions.delete(msg.request);
        q.answer(msg.answer);
        return;
      }
      case 'nb.secret.answer': {
        const q = this.secrets.get(msg.request);
        if (!q) return;
        this.secrets.delete(msg.request);
        q.answer(msg.secret);
        return;
      }
      case 'nb.output.ack':
        this.streams.ack(msg.stream, msg.bytes);
        return;
      case 'nb.report': {
        const nb = this.doc(msg.doc, msg.type);
        if (nb) void this.report(nb, false);
        return;
      }
      case 'nb.export': {
        const nb = this.doc(msg.doc, msg.type);
        if (nb) void this.report(nb, true);
        return;
      }
      case 'nb.pdf': {
        const nb = this.doc(msg.doc, msg.type);
        if (nb) void this.pdf(nb);
        return;
      }
      case 'fs.complete':
        void completePath(msg.prefix, this.ctx.home).then((entries) => this.send({ type: 'fs.completions', prefix: msg.prefix, entries }));
        return;
      case 'recent.list':
        this.send({ type: 'recent.listed', paths: this.ctx.recent.list() });
        return;
    }
  }

  private send(msg: HostMessage): void {
    if (!this.closed) this.ctx.send(msg);
  }

  private doc(id: number, type: string): OpenNotebook | undefined {
    const nb = this.docs.get(id);
    if (!nb && !this.opening.has(id)) this.send({ type: 'nb.error', doc: id, message: `${type}: no notebook ${id} is open here` });
    return nb;
  }

  private async open(doc: number, path: string): Promise<void> {
    if (this.docs.has(doc) || this.opening.has(doc)) {
      this.send({ type: 'nb.error', doc, message: `notebook id ${doc} is already used in this window` });
      return;
    }
    this.opening.add(doc);
    try {
      const nb = await OpenNotebook.open(this.ctx, doc, path);
      if (this.closed) nb.close();
      else {
        this.docs.set(doc, nb);
        this.targets.set(doc, new NotebookTargets(dirname(nb.path), this.prompterFor(doc)));
      }
    } catch (e) {
      if (!(e instanceof NotebookOpenError)) this.ctx.log(`modus: opening ${path}: ${(e as Error).stack ?? String(e)}`);
      this.send({ type: 'nb.error', doc, message: (e as Error).message });
    } finally {
      this.opening.delete(doc);
    }
  }

  /**
   * The report of what the editor shows (the same renderer as `modus export`),
   * to view, or written beside the notebook as NAME.report.html.
   */
  private async report(nb: OpenNotebook, write: boolean): Promise<void> {
    const warnings: string[] = [];
    const report = await buildNotebookReport({ notebookPath: nb.path, text: nb.fileText, warn: (m) => warnings.push(m), generatedAt: new Date() });
    for (const w of warnings) nb.error(`report: ${w}`);
    if (!write) {
      this.send({ type: 'nb.report', doc: nb.doc, html: report.html });
      return;
    }
    if (report.problems.length > 0) {
      nb.error(`the report was not written: ${report.problems.map((p) => formatMessage(p)).join('; ')}`);
      return;
    }
    const file = join(dirname(nb.path), `${basename(nb.path).replace(/\.(md|markdown)$/i, '')}.report.html`);
    try {
      await writeFileAtomic(file, report.html);
      this.send({ type: 'nb.exported', doc: nb.doc, file });
    } catch (e) {
      nb.error(`cannot write the report to ${file}: ${describeFileError(e)}`);
    }
  }

  /** Electron prints the window (the report view, through its print stylesheet) to NAME.report.pdf beside the notebook. */
  private async pdf(nb: OpenNotebook): Promise<void> {
    if (!this.ctx.printToPdf) {
      nb.error('this host cannot print to PDF itself: use Print in the report view and choose "Save as PDF"');
      return;
    }
    const file = join(dirname(nb.path), `${basename(nb.path).replace(/\.(md|markdown)$/i, '')}.report.pdf`);
    try {
      await writeFileAtomic(file, await this.ctx.printToPdf());
      this.send({ type: 'nb.exported', doc: nb.doc, file });
    } catch (e) {
      nb.error(`cannot write the PDF to ${file}: ${describeFileError(e)}`);
    }
  }

  private run(msg: Extract<ClientMessage, { type: 'nb.run' }>): void {
    const nb = this.doc(msg.doc, msg.type);
    if (!nb) return;
    this.startRun(nb, msg.run, async () => msg);
  }

  /**
   * Confirm, or roll back now, a commit confirmed pending on a host: a block
   * that does it is appended to the notebook (after the file is saved, and
   * once the editor has it too) and run, so the file and the report keep
   * what was done and what the device said.
   */
  private settle(msg: Extract<ClientMessage, { type: 'nb.settle' }>): void {
    const nb = this.doc(msg.doc, msg.type);
    if (!nb) return;
    this.startRun(nb, msg.run, async () => {
      const what = msg.action === 'confirm' ? 'confirmed' : 'rolled back';
      if (!nb.trusted) return `${nb.name} is not trusted: nothing runs until you trust it, so the commit confirmed on ${msg.host} was not ${what}`;
      if (nb.readOnly) return `${nb.name} is read-only here (${nb.readOnly}); the block that would record it cannot be added, so nothing was ${what}`;
      const pending = (await readPendingCommits(nb.path, new Date())).find((p) => p.host === msg.host);
      if (!pending) {
        nb.refreshPending();
        return `no commit confirmed of this notebook is pending on ${msg.host} any more (its journal says it was confirmed, rolled back, or its deadline passed); nothing was run`;
      }
      const block = settleBlock(msg.host, msg.action, pending);
      if (typeof block !== 'string') return block.error;
      if (nb.dirty && !(await nb.save(nb.mirror.version))) return `${nb.name} could not be saved first (see above), so the ${msg.action} block was not added; nothing was run`;
      const { outcome, inEditors } = await this.appendAsModus(nb.path, block, nb.name);
      if (!outcome.appended) return `the ${msg.action} block could not be added to ${nb.name}: ${outcome.error}; nothing was run`;
      await Promise.all(inEditors);
      // The block just added: the last one with this fence and no body (the user may have typed elsewhere meanwhile).
      const fence = settleFence(msg.host, msg.action);
      const blocks = scanNotebook(nb.fileText, nb.name).blocks;
      const added = [...blocks].reverse().find((b) => `${b.lang} ${b.argsText}`.trim() === fence && b.body.trim() === '');
      if (!added) return `the ${msg.action} block added to ${nb.name} is no longer there; nothing was run`;
      return { run: msg.run, selection: { kind: 'block', number: added.index + 1 }, keepGoing: false, vars: msg.vars };
    });
  }

  /** Starts run `id` of `nb` with what `prepare` decides (a sentence: refused, and the renderer is told the run is done). */
  private startRun(nb: OpenNotebook, id: number, prepare: () => Promise<RunRequest | string>): void {
    if (this.runs.has(id)) {
      nb.error(`run id ${id} is already used; start the run again`);
      return;
    }
    const doc = nb.doc;
    const targets = this.targets.get(doc);
    if (!targets) return;
    const abort = new AbortController();
    const done = (async (): Promise<NotebookRunSummary> => {
      let req: RunRequest | string;
      try {
        req = await prepare();
      } catch (e) {
        req = `the run could not start: ${(e as Error).message}`;
      }
      if (typeof req === 'string') {
        nb.error(req);
        return { counts: {}, notRun: 0, problems: [req] };
      }
      return runFromApp(nb, this.ctx, req, this.runHooks(doc, targets), abort.signal);
    })().then((summary) => {
      this.runs.delete(id);
      this.send({ type: 'nb.run.done', doc, run: id, summary });
    });
    this.runs.set(id, { doc, abort, done });
  }

  /** What a run asks of the user (:confirm blocks, ssh's questions) goes to this notebook's editor. */
  private runHooks(doc: number, targets: NotebookTargets): RunHooks {
    return {
      streams: this.streams,
      confirm: (q) =>
        new Promise<ConfirmAnswer>((answer) => {
          const request = this.nextQuestion++;
          this.questions.set(request, { doc, answer });
          this.send({ type: 'nb.confirm', doc, request, block: q.number, lang: q.lang, hosts: q.hosts, script: q.script });
        }),
      targets,
    };
  }

  /** ssh's password and passphrase questions for a notebook's connections, asked in its tab. */
  private prompterFor(doc: number): SecretPrompter {
    return (q) =>
      new Promise<string | null>((answer) => {
        if (this.closed || !this.docs.has(doc)) {
          answer(null);
          return;
        }
        const request = this.nextQuestion++;
        this.secrets.set(request, { doc, answer });
        this.send({ type: 'nb.secret', doc, request, host: q.host, prompt: q.prompt });
      });
  }

  /**
   * Hands the `:session` shell of a block to a terminal tab (starting it if
   * needed): see notebook-session.ts. `holder.name(title)` is called first
   * with the tab's title.
   */
  async openSession(ref: HeldSessionRef, holder: SessionHolder & { name(title: string): void }, size: { cols: number; rows: number }, signal: AbortSignal): Promise<{ hold: SessionHold } | { error: string }> {
    const nb = this.docs.get(ref.doc);
    const targets = this.targets.get(ref.doc);
    if (!nb || !targets) return { error: `notebook ${ref.doc} is not open here` };
    return openNotebookSession(nb, targets, this.ctx.sshConfig(), ref, holder, size, signal);
  }

  /**
   * A master that an open notebook's runs set up to exactly `destination`
   * under `sshConfig`, lent to an SSH tab so the tab logs in no second time;
   * null when no notebook has one up.
   */
  async lendMaster(destination: SshDestination, sshConfig: string | null): Promise<LentMaster | null> {
    for (const targets of this.targets.values()) {
      const lent = await targets.lendMaster(destination, sshConfig);
      if (lent) return lent;
    }
    return null;
  }

  /** Ends a closed notebook's sessions and connections once its runs are over (they write their results first). */
  private closeTargets(doc: number): void {
    const targets = this.targets.get(doc);
    if (!targets) return;
    this.targets.delete(doc);
    const runs = [...this.runs.values()].filter((r) => r.doc === doc).map((r) => r.done);
    const closing = Promise.all(runs)
      .then(() => targets.close())
      .catch((e: Error) => this.ctx.log(`modus: closing the sessions of notebook ${doc}: ${e.message}`))
      .finally(() => this.closing.delete(closing));
    this.closing.add(closing);
  }

  private dropQuestions(doc: number | null, why: string): void {
    for (const [id, q] of this.questions) {
      if (doc !== null && q.doc !== doc) continue;
      this.questions.delete(id);
      q.answer({ error: why });
    }
    // ssh is told no (it then fails the connection and says so).
    for (const [id, q] of this.secrets) {
      if (doc !== null && q.doc !== doc) continue;
      this.secrets.delete(id);
      q.answer(null);
    }
  }

  /**
   * The renderer went away. Runs go on and write their results to the file
   * (a closed window must not lose a run's output); what they would ask the
   * user is answered "cannot ask".
   */
  close(): void {
    this.closed = true;
    this.dropQuestions(null, 'the window was closed, so nobody could confirm it');
    for (const nb of this.docs.values()) nb.close();
    for (const doc of [...this.targets.keys()]) this.closeTargets(doc);
    this.docs.clear();
  }

  /** The app quits: runs are cancelled (their results are written as such), then everything they used is ended. */
  stopRuns(): void {
    for (const r of this.runs.values()) r.abort.abort();
  }

  /** Waits until the sessions and connections of closed notebooks are ended (for shutdown and tests). */
  async sessionsEnded(): Promise<void> {
    while (this.closing.size > 0) await Promise.all([...this.closing]);
  }

  /**
   * Appends blocks to a notebook (commands sent from a terminal): to the file,
   * under its lock, and into the editors that have it open here. Modus's own
   * addition keeps a trusted notebook trusted.
   */
  async appendToNotebook(path: string, text: string, terminalTitle: string, inventory: string | null = null): Promise<{ ok: true; path: string } | { ok: false; error: string }> {
    if (!isAbsolute(path)) return { ok: false, error: 'give the notebook as an absolute path (or one starting with ~/)' };
    const { outcome } = await this.appendAsModus(path, text, notesTitle(terminalTitle, new Date()), inventory);
    if (!outcome.appended) return { ok: false, error: outcome.error };
    return { ok: true, path: outcome.real };
  }

  /**
   * Appends to a notebook under the writers' lock, keeps a trusted notebook
   * trusted, and gives the editors that have it open the new text. The
   * editors are told of the append before it starts, so a disk check in
   * between does not take it for another program's change. `inEditors`:
   * when each editor has it.
   */
  private async appendAsModus(path: string, addition: string, title: string, inventory: string | null = null): Promise<{ outcome: AppendOutcome; inEditors: Promise<void>[] }> {
    const real = await realpath(path).catch(() => resolve(path));
    const appending = (async () => {
      const outcome = await appendToNotebook(path, addition, title, inventory);
      if (!outcome.appended) return { outcome, inEditors: [] };
      if (outcome.before !== null && this.ctx.trust.isTrusted(outcome.real, outcome.before)) await this.ctx.trust.trust(outcome.real, outcome.text);
      const inEditors = [...this.docs.values()].filter((nb) => nb.path === outcome.real).map((nb) => nb.appendedByModus(outcome.before ?? '', outcome.text));
      return { outcome, inEditors };
    })();
    for (const nb of this.docs.values()) if (nb.path === real) nb.expectModusWrite(appending);
    return appending;
  }

  /** Waits for the runs started here (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.runs.size > 0) await Promise.all([...this.runs.values()].map((r) => r.done));
  }
}

/** Host names Modus writes into a fence itself: what :host accepts unquoted, nothing a Markdown or header-argument reader could take for more. */
const SETTLE_HOST = /^[A-Za-z0-9_][A-Za-z0-9_.:@-]*$/;

/** The fence info of the block that confirms (`:commit confirm`) or rolls back (`:commit rollback`) `host`'s pending commit. */
function settleFence(host: string, action: 'confirm' | 'rollback'): string {
  return `junos :host ${host} :commit ${action}`;
}

/**
 * What is appended to the notebook: a sentence saying what is done and why
 * (the report reads as the procedure), then the empty block that does it.
 */
function settleBlock(host: string, action: 'confirm' | 'rollback', p: PendingCommit): string | { error: string } {
  if (!SETTLE_HOST.test(host)) return { error: `${JSON.stringify(host)} cannot be written as a :host by Modus; write the :commit ${action} block for it by hand` };
  const of = `the commit confirmed of block ${p.block + 1}${p.name ? ` (${p.name})` : ''}`;
  const sentence = action === 'confirm'
    ? `**${host}**: confirm ${of}, due to roll back at ${isoSeconds(p.rollbackAt)}.`
    : `**${host}**: roll back ${of} now, before its deadline (${isoSeconds(p.rollbackAt)}).`;
  return `${sentence}\n\n\`\`\`${settleFence(host, action)}\n\`\`\`\n`;
}
