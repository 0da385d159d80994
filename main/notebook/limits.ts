// What Modus refuses to read, and why. CommonMark sets no bound on nesting,
// but every step after the scanner (remark, rehype, the sanitiser, the
// HTML serialiser) recurses once per level, and micromark's work per line
// grows with the depth; real notebooks stay under ten levels. A notebook
// beyond one of these limits gets a positioned error with one of the rule
// ids below, and every command refuses it as a whole (exit 2): a partial
// check or report would look complete when it is not.

/** Block quotes, list items and footnote definitions, nested (markdown-it's default `maxNesting` is also 100). */
export const MAX_NESTING = 100;

/**
 * Emphasis, strikethrough and link brackets nested in one paragraph,
 * heading or table row (counted only for the report, which hands the text
 * to remark).
 */
export const MAX_INLINE_NESTING = 100;

/** Characters of a code block's header arguments (the info string after the language). */
export const MAX_HEADER_ARGS_LENGTH = 65_536;

/** Problems reported for one notebook; the rest are summed up in one last message. */
export const MAX_PROBLEMS = 1000;

export const NESTING_RULE = 'nesting-too-deep';
export const INLINE_NESTING_RULE = 'inline-nesting-too-deep';
export const HEADER_ARGS_RULE = 'header-arguments-too-long';
export const PROBLEMS_RULE = 'too-many-problems';
export const FRONT_MATTER_ALIASES_RULE = 'front-matter-aliases';
/** The report could not be rendered even within the limits above (a last resort; no known input gets here). */
export const REPORT_RULE = 'report-render';

const LIMIT_RULES: ReadonlySet<string> = new Set([
  NESTING_RULE, INLINE_NESTING_RULE, HEADER_ARGS_RULE, PROBLEMS_RULE, FRONT_MATTER_ALIASES_RULE, REPORT_RULE,
]);

/** Whether a problem means the notebook is beyond what Modus reads (commands exit 2 on it). */
export function isLimitProblem(m: { ruleId: string }): boolean {
  return LIMIT_RULES.has(m.ruleId);
}

export function exceedsLimits(messages: readonly { ruleId: string }[]): boolean {
  return messages.some(isLimitProblem);
}
