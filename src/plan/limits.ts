import type { PlanErrorCode } from "./errors.js";

/**
 * Bounds on what the markdown parser is given, so that a hostile or broken plan gets a plan error with its
 * line instead of a stack overflow or minutes of parsing (issue 20, items 9 and 10):
 * - commonmark.js recurses once per open container: `> ` × 2600 overflowed the stack, and a list nested 1200
 *   deep took 10 s (each line re-matches every open container). Quote and list markers at the start of a
 *   line, and its indentation, bound that depth.
 * - commonmark.js strips a heading's closing `#`s with a regular expression that is quadratic in a run of
 *   spaces: 100,000 spaces in a heading took 17 s; 2,000 characters take milliseconds.
 * - Other lines: inline parsing has quadratic corners too (`[a](` × 10,000 took 4.5 s), so a line outside
 *   a code block is limited as well; code blocks are read line by line in linear time and may be long.
 */
export const MAX_MARKERS = 100;
export const MAX_INDENT = 256;
export const MAX_HEADING = 2_000;
export const MAX_LINE = 20_000;

export interface LineProblem {
  code: PlanErrorCode;
  message: string;
}

/** What is wrong with the line from `at` to `end` of `text`, or undefined. `inCode`: inside a code block. */
export function checkLine(text: string, at: number, end: number, inCode: boolean): LineProblem | undefined {
  const c = text.charCodeAt(at);
  // Most lines start with a letter or are short: both checks below are skipped for them.
  if (end - at > MAX_HEADING && !inCode) {
    if (isHeading(text, at)) {
      return {
        code: "PLAN_LINE_TOO_LONG",
        message: `heading is ${end - at} characters long (at most ${MAX_HEADING}): shorten it`,
      };
    }
    if (end - at > MAX_LINE) {
      return {
        code: "PLAN_LINE_TOO_LONG",
        message: `line is ${end - at} characters long (at most ${MAX_LINE} outside code blocks): break it into lines or put it in a code block`,
      };
    }
  }
  if (c === 32 || c === 9 || c === 62 || c === 45 || c === 43 || c === 42 || (c >= 48 && c <= 57)) {
    const { indent, markers } = nesting(text, at, end);
    if (markers > MAX_MARKERS) {
      return {
        code: "PLAN_TOO_DEEP",
        message: `line opens ${markers} nested quotes or lists (at most ${MAX_MARKERS}): flatten it`,
      };
    }
    if (indent > MAX_INDENT && !inCode) {
      return {
        code: "PLAN_TOO_DEEP",
        message: `line is indented ${indent} columns (at most ${MAX_INDENT} outside code blocks): flatten the nesting`,
      };
    }
  }
  return undefined;
}

function isHeading(text: string, at: number): boolean {
  let i = at;
  while (i < at + 3 && text.charCodeAt(i) === 32) i++;
  return text.charCodeAt(i) === 35;
}

/** The container prefix of a line: its indentation in columns and the quote and list markers in it. */
function nesting(text: string, at: number, end: number): { indent: number; markers: number } {
  let indent = 0;
  let markers = 0;
  let i = at;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      indent++;
      i++;
    } else if (c === 9) {
      indent += 4;
      i++;
    } else if (c === 62) {
      markers++;
      i++;
    } else if ((c === 45 || c === 43 || c === 42) && isSpace(text.charCodeAt(i + 1))) {
      markers++;
      i++;
    } else if (c >= 48 && c <= 57) {
      let j = i;
      while (j < end && j - i < 9 && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      const d = text.charCodeAt(j);
      if (!((d === 46 || d === 41) && isSpace(text.charCodeAt(j + 1)))) break;
      markers++;
      i = j + 1;
    } else break;
    if (i >= end) break;
  }
  return { indent, markers };
}

const isSpace = (c: number): boolean => c === 32 || c === 9;
