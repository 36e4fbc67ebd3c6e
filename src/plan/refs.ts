/** Small readers for the one-line field values: dependency lists, status, execution mode. */

const NONE = /^(?:none|n\/a|nothing|no|nenhuma|-|—|–)\.?$/i;
const ID = /^#?([A-Za-z]{0,3}\d[A-Za-z0-9]*(?:[.-][A-Za-z0-9]+)*)/;

export interface Refs {
  ids: string[];
  /** Parts that name nothing readable, for a warning. */
  unreadable: string[];
}

/**
 * Reads "Task 1.1, Task 1.3", "1.1 and 1.3", "Batch 1, Batch 2" or "None". `prefix` is the word that may
 * stand before each id (Task/Tasks, Batch/Phase).
 */
export function parseRefs(text: string, prefix: RegExp): Refs {
  const out: Refs = { ids: [], unreadable: [] };
  // "None (can run in parallel with 2.1)": the parenthesis explains, it names no dependency.
  const t = text
    .replace(/[`*_]/g, "")
    .replace(/\s*\([^)]*\)/g, "")
    .trim();
  if (!t || NONE.test(t)) return out;
  for (const raw of t.split(/\s*(?:,|;|\n|\band\b|&|\+)\s*/i)) {
    const part = raw.trim().replace(/\.$/, "");
    if (!part) continue;
    const m = ID.exec(part.replace(prefix, "").trim());
    if (m) {
      if (!out.ids.includes(m[1]!)) out.ids.push(m[1]!);
    } else if (!NONE.test(part)) {
      out.unreadable.push(part);
    }
  }
  return out;
}

export const TASK_PREFIX = /^tasks?\s*/i;
export const BATCH_PREFIX = /^(?:batch(?:es)?|phases?)\s*/i;

export const isDone = (status: string): boolean =>
  /^(?:completed?|complete|done|finished|skip(?:ped)?|✅|✔️?|☑️?|\[x\]|complet[oa]|conclu[ií]d[oa])/i.test(
    status.replace(/[`*_]/g, "").trim(),
  );

export function parseMode(text: string): "local" | "parallel" | undefined {
  const t = text.replace(/[`*_]/g, "").trim().toLowerCase();
  if (/^(?:local|sequential|serial)\b/.test(t)) return "local";
  if (/^parallel\b/.test(t)) return "parallel";
  return undefined;
}

export const saysNoChanges = (text: string): boolean =>
  /^(?:none|no(?:ne expected)?|no changes(?: expected)?|not expected)\b/i.test(
    text.replace(/[`*_]/g, "").trim(),
  );

/** `✅`, `COMPLETE`, `DONE`, `[x]` on a heading: the work is done (issue 22). Words count in capitals only. */
const DONE_MARK =
  /(?:\s*(?:[✅✔☑]\uFE0F?|\[x\]|[([]?\b(?:COMPLETED?|DONE|COMPLET[OA]|CONCLU[IÍ]D[OA])\b[)\]]?))+(?:\s*\([^)]*\))?\s*$|^\s*(?:[✅✔☑]\uFE0F?|\[x\])\s*/u;
const CHECK = /[✅✔☑]/u;

/** The heading title without its done mark, and whether it had one. */
export function doneMark(title: string): { title: string; done: boolean } {
  const m = DONE_MARK.exec(title);
  if (!m) return CHECK.test(title) ? { title, done: true } : { title, done: false };
  return { title: (title.slice(0, m.index) + title.slice(m.index + m[0].length)).trim(), done: true };
}
