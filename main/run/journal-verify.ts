// Checks a journal's hash chain. One pass over the file keeps a small summary
// per line (hashes, seq, prev); the analysis then compares neighbours, so a
// record chained to a line elsewhere in the file can be named (reordering).
// The pass streams (journal-scan.ts): memory stays bounded whatever the
// lines hold. Then every output blob a record names is read back,
// decompressed as it streams, and its size and sha256 compared with the
// record's (each blob once, however many records share it).
//
// What a chain cannot show: the removal of the newest records (nothing
// follows them to notice), or a file rewritten wholesale with recomputed
// hashes. Anchoring the newest hash elsewhere (e.g. in the report) covers that.

import { stat } from 'node:fs/promises';
import { journalPath, ZERO_HASH } from './journal-format.js';
import { checkBlob } from './journal-blob.js';
import { scanJournal, type ScannedLine } from './journal-scan.js';

export interface JournalProblem {
  /** 1-based line in the journal file (0: the journal as a whole). */
  line: number;
  message: string;
}

export interface JournalVerification {
  ok: boolean;
  /** Lines that are well-formed records. */
  records: number;
  problems: JournalProblem[];
  /** The journal file checked. */
  path: string;
  /** True when there is no journal file at all. */
  missing?: boolean;
}

interface LineSummary {
  line: number;
  lineHash: string;
  terminated: boolean;
  empty: boolean;
  parsed: boolean;
  seq?: number;
  prev?: string;
  selfHashOk?: boolean;
  /** The output blob the record names: its sha256 and size. */
  blob?: { sha256: string; bytes: number };
}

function summarise(l: ScannedLine): LineSummary {
  const base: LineSummary = { line: l.line, lineHash: l.lineHash, terminated: l.terminated, empty: l.length === 0, parsed: false };
  const r = l.record;
  if (!r) return base;
  return {
    ...base, parsed: true, seq: r.seq, prev: r.prev, selfHashOk: l.selfHashOk,
    ...(r.outputBlob ? { blob: { sha256: r.outputBlob, bytes: r.outputBytes } } : {}),
  };
}

const RESTORE = 'restore the journal from a backup, or keep this copy as evidence and start a new journal by moving it aside';

function analyse(lines: LineSummary[]): JournalProblem[] {
  const problems: JournalProblem[] = [];
  const lineOfHash = new Map<string, number>();
  for (const l of lines) if (!lineOfHash.has(l.lineHash)) lineOfHash.set(l.lineHash, l.line);
  const flagged = new Set<number>();
  let expectedSeq = 1;
  for (let i = 0; i < lines.length; i += 1) {
    const l = lines[i]!;
    const k = l.line;
    const report = (message: string): void => {
      problems.push({ line: k, message });
      flagged.add(k);
    };
    if (!l.parsed) {
      if (!l.terminated) {
        report('the last line is cut short (no line ending): a write was interrupted (crash, kill or full disk), so this run\'s record is incomplete; the notebook\'s results block is the remaining copy. Modus appends after it; keep the line as evidence.');
      } else if (l.empty) {
        report(`empty line where a record was expected: the file was edited by hand; ${RESTORE}`);
      } else {
        report(`not a journal record (not valid JSON, or not version 1): the line was edited or damaged; ${RESTORE}`);
      }
      expectedSeq += 1;
      continue;
    }
    const seq = l.seq!;
    const expectedPrev = i === 0 ? ZERO_HASH : lines[i - 1]!.lineHash;
    if (!l.selfHashOk) {
      report(`record ${seq} was changed after it was written (its content does not match its hash); ${RESTORE}`);
    }
    if (l.prev !== expectedPrev) {
      const chainedTo = l.prev === ZERO_HASH ? 0 : lineOfHash.get(l.prev!);
      if (chainedTo === 0) {
        report(`record ${seq} starts a chain (it was written as the first record) but is line ${k}: lines were inserted before it or two journals were joined; ${RESTORE}`);
      } else if (chainedTo !== undefined && chainedTo > k) {
        report(`record ${seq} is out of order: it was written after line ${chainedTo}, which now comes later in the file; put the records back in seq order or ${RESTORE}`);
      } else if (chainedTo !== undefined) {
        report(`record ${seq} is out of order: it was written right after line ${chainedTo}, not after line ${k - 1}; lines were moved or inserted in between; put the records back in seq order or ${RESTORE}`);
      } else if (seq > expectedSeq) {
        const missing = seq - expectedSeq;
        const which = missing === 1 ? `record ${expectedSeq}` : `records ${expectedSeq}–${seq - 1}`;
        report(`${missing} record${missing === 1 ? '' : 's'} missing before this line (${which} deleted); ${RESTORE}`);
      } else if (!flagged.has(k - 1)) {
        report(`line ${k - 1} is not the record this one was chained to: line ${k - 1} was changed after record ${seq} was written, or a record was removed; ${RESTORE}`);
      }
    } else if (seq !== expectedSeq && !flagged.has(k)) {
      report(`record number ${seq} where ${expectedSeq} was expected although the chain is intact: the seq field was edited; ${RESTORE}`);
    }
    expectedSeq = seq + 1;
  }
  return problems;
}

/** Problems with the blobs that records name; a record whose own hash fails is reported as changed already. */
async function checkBlobs(path: string, lines: LineSummary[]): Promise<JournalProblem[]> {
  const problems: JournalProblem[] = [];
  const checked = new Map<string, string | null>();
  for (const l of lines) {
    if (!l.blob || !l.selfHashOk) continue;
    const key = `${l.blob.sha256}:${l.blob.bytes}`;
    if (!checked.has(key)) checked.set(key, await checkBlob(path, l.blob.sha256, l.blob.bytes));
    const problem = checked.get(key);
    if (problem) problems.push({ line: l.line, message: `record ${l.seq}: ${problem}; ${RESTORE_BLOB}` });
  }
  return problems;
}

const RESTORE_BLOB = 'restore .modus/journal/blobs/ from a backup; the record itself is intact';

/** Checks the notebook's journal: every record intact, in order, none missing in between, every output blob as written. */
export async function verifyJournal(notebookPath: string): Promise<JournalVerification> {
  const path = await journalPath(notebookPath);
  try {
    await stat(path);
  } catch {
    return {
      ok: false,
      records: 0,
      path,
      missing: true,
      problems: [{ line: 0, message: `no journal at ${path}: the notebook has not been run here yet, or its .modus directory was moved or deleted` }],
    };
  }
  const lines: LineSummary[] = [];
  for await (const scanned of scanJournal(path)) lines.push(summarise(scanned));
  const problems = [...analyse(lines), ...(await checkBlobs(path, lines))].sort((a, b) => a.line - b.line);
  const records = lines.filter((l) => l.parsed).length;
  return { ok: problems.length === 0, records, problems, path };
}
