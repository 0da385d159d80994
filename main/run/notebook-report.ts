// A notebook's HTML report with what the engine knows around it: the
// journal's timeline (verified first) and the results it judges stale. One
// builder for `modus export` and the app's report view and export.

import { basename, resolve } from 'node:path';
import { renderReport, type Report, type ReportRun } from '../notebook/report.js';
import { describeFileError } from '../files/describe-error.js';
import { readJournal, verifyJournal } from './journal.js';
import { checkNotebookText } from './check-notebook.js';
import { STALE_RULE } from './stale-results.js';

export interface NotebookReportOptions {
  /** Where the notebook is (its journal and inventory are found from it). */
  notebookPath: string;
  /** The text to render: the file's, or an editor's. */
  text: string;
  /** Things worth telling the user that do not stop the report (journal problems, staleness unknown). */
  warn?: (message: string) => void;
  generatedAt?: Date;
}

export async function buildNotebookReport(o: NotebookReportOptions): Promise<Report> {
  const warn = o.warn ?? (() => undefined);
  let runs: ReportRun[] | null = null;
  let journalNote: string | undefined;
  try {
    const verification = await verifyJournal(o.notebookPath);
    if (!verification.missing) {
      runs = await readJournal(o.notebookPath, { output: false });
      journalNote = verification.ok
        ? `${verification.records} record${verification.records === 1 ? '' : 's'}, chain intact`
        : `${verification.problems.length} problem${verification.problems.length === 1 ? '' : 's'} found; run modus journal verify ${o.notebookPath}`;
      if (!verification.ok) warn(`the journal has ${verification.problems.length} problem(s); see modus journal verify ${o.notebookPath}`);
    }
  } catch (err) {
    warn(`cannot read the journal (${describeFileError(err)}); the report uses the results blocks only`);
  }
  return renderReport({
    text: o.text,
    fileName: basename(o.notebookPath),
    runs,
    staleResultLines: await staleResultLines(o.text, o.notebookPath, warn),
    ...(journalNote !== undefined ? { journalNote } : {}),
    ...(o.generatedAt ? { generatedAt: o.generatedAt } : {}),
  });
}

/**
 * The lines of results blocks `modus check` calls stale (the code block's
 * own line, for a host without results, matches no results block). A report
 * is still made when that cannot be judged (an unreadable inventory).
 */
async function staleResultLines(text: string, notebook: string, warn: (m: string) => void): Promise<Set<number>> {
  try {
    const messages = await checkNotebookText(text, resolve(notebook));
    return new Set(messages.filter((m) => m.ruleId === STALE_RULE).map((m) => m.line));
  } catch (err) {
    warn(`cannot tell which results are stale (${err instanceof Error ? err.message : String(err)}); none is marked`);
    return new Set();
  }
}
