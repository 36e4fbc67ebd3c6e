import { collectCodeBlocks } from "./code-blocks.js";
import { PlanError } from "./errors.js";
import { isFieldHeading } from "./fields.js";
import { type FilesRead, parseFiles, pathKey } from "./files.js";
import type { TaskSection } from "./outline.js";
import { type Piece, splitPieces } from "./pieces.js";
import { doneMark, isDone, parseRefs, saysNoChanges, TASK_PREFIX } from "./refs.js";
import { type Segment, segment, segmentMarkdown, segmentText } from "./segments.js";
import { endOffset, posOf, type Source, startOffset } from "./source.js";
import {
  type BatchId,
  type PlanFile,
  type PlanTask,
  type PlanWarning,
  type SourcePos,
  taskId,
} from "./types.js";
import { parseVerification } from "./verification.js";

// Module-level rather than closures in buildTask: tsx names every named closure on creation (__name),
// which showed in the profile at 10,000 tasks.
const NONE: Segment[] = [];
const of = (byKey: Map<Segment["key"], Segment[]>, key: Segment["key"]): Segment[] => byKey.get(key) ?? NONE;
const last = (byKey: Map<Segment["key"], Segment[]>, key: Segment["key"]) => byKey.get(key)?.at(-1);

/** The `**Step N: …**` lines of all pieces (a loop: flatMap made an array per piece). */
function stepsOf(pieces: Piece[]): string[] {
  const out: string[] = [];
  for (const p of pieces) if (p.kind === "block" && p.steps.length > 0) out.push(...p.steps);
  return out;
}

/** A path named twice in one task ("Modify: `a.c` (x)", "Test: `a.c`") is one file, kept where first named. */
function dedupeFiles(files: PlanFile[]): PlanFile[] {
  // Tasks name a handful of files: a scan beats a Map here (this runs for every task).
  let out: PlanFile[] | undefined;
  for (let i = 1; i < files.length; i++) {
    const key = pathKey(files[i]!.path);
    let j = 0;
    while (j < i && pathKey(files[j]!.path) !== key) j++;
    if (j === i) {
      out?.push(files[i]!);
      continue;
    }
    out ??= files.slice(0, i);
    const before = out.find((f) => pathKey(f.path) === key)!;
    const note = files[i]!.note;
    if (note && before.note !== note) before.note = before.note ? `${before.note}; ${note}` : note;
  }
  return out ?? files;
}

export interface BuiltTask {
  task: PlanTask;
  dependsAt: SourcePos;
}

/** Reads one task section. Throws PLAN_EMPTY_TASK for a heading with nothing under it. */
export function buildTask(
  section: TaskSection,
  batch: BatchId,
  index: number,
  src: Source,
  warn: (w: PlanWarning) => void,
  file?: string,
): BuiltTask {
  const { head, blocks } = section;
  const pos = posOf(head.node);
  const label = `Task ${head.id}`;
  if (blocks.length === 0) {
    throw new PlanError(
      "PLAN_EMPTY_TASK",
      `${label} has nothing under its heading: add its Files, Implementation and Verification, or remove the heading`,
      pos,
      file,
    );
  }
  const pieces = splitPieces(blocks, src, isFieldHeading, isFieldHeading);
  const segments = segment(pieces, (f) =>
    warn({
      code: "UNKNOWN_FIELD",
      message: `${label}: unknown field "${f.name}" is kept as task text (known: Files, Implementation, Verification, Depends on, Commit, Status, Agent, Changes)`,
      pos: f.pos,
    }),
  );
  const byKey = new Map<Segment["key"], Segment[]>();
  for (const seg of segments) {
    const list = byKey.get(seg.key);
    if (list) list.push(seg);
    else byKey.set(seg.key, [seg]);
  }

  const read: FilesRead = { files: [], notes: [] };
  for (const seg of of(byKey, "files")) parseFiles(seg, read);
  const files = dedupeFiles(read.files);
  const impl = of(byKey, "implementation");
  const textSegments = segments.filter((s) => s.key === "implementation" || s.key === "free");
  const implementation = (impl.length > 0 ? impl : of(byKey, "free"))
    .map(segmentMarkdown)
    .filter(Boolean)
    .join("\n\n");

  const depends = of(byKey, "depends");
  const dependsOn = [];
  for (const seg of depends) {
    const refs = parseRefs(segmentText(seg), TASK_PREFIX);
    dependsOn.push(...refs.ids.map(taskId));
    for (const part of refs.unreadable) {
      warn({
        code: "UNREADABLE_DEPENDENCY",
        message: `${label}: cannot read "${part}" as a task id; write dependencies as "Task 1.1, Task 1.3"`,
        pos: seg.field?.pos ?? pos,
      });
    }
  }

  const status = last(byKey, "status");
  const commit = last(byKey, "commit");
  const agent = last(byKey, "agent");
  const changes = last(byKey, "changes");
  const heading = doneMark(head.title);
  const task: PlanTask = {
    id: taskId(head.id),
    title: heading.title,
    batch,
    index,
    pos,
    files,
    body: src.slice(startOffset(head.node), endOffset(blocks.at(-1)!)),
    implementation,
    codeBlocks: collectCodeBlocks(textSegments, files),
    steps: stepsOf(pieces),
    verification: parseVerification(of(byKey, "verification")),
    dependsOn: [...new Set(dependsOn)],
    inferredDependsOn: [],
    skip: heading.done || (status ? isDone(segmentText(status)) : false),
    allowNoChanges:
      (files.length > 0 && files.every((f) => f.kind === "read")) ||
      (changes !== undefined && saysNoChanges(segmentText(changes))),
  };
  if (read.notes.length > 0) {
    task.fileNotes = read.notes;
    const first = read.notes[0]!;
    warn({
      code: "FILES_NOTE",
      message: `${label}: ${read.notes.length === 1 ? "an entry" : `${read.notes.length} entries`} under Files name${read.notes.length === 1 ? "s" : ""} no file and ${read.notes.length === 1 ? "is" : "are"} kept as a note ("${first.length > 60 ? `${first.slice(0, 57)}…` : first}"): write paths in backticks to make them files`,
      pos: of(byKey, "files")[0]?.field?.pos ?? pos,
    });
  }
  if (commit) task.commit = segmentText(commit);
  if (agent) task.agent = segmentText(agent);
  if (files.length === 0) {
    warn({
      code: "TASK_NO_FILES",
      message: `${label} lists no **Files:**; the file guard and inferred dependencies cannot see what it touches`,
      pos,
    });
  }
  return { task, dependsAt: depends[0]?.field?.pos ?? pos };
}
