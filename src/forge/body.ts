/** What a task's pull request says about it. */
export interface TaskPullInfo {
  runId: string;
  taskId: string;
  title: string;
  files: readonly string[];
  /** Verification commands Orchard ran; a task reaches a pull request only when they all passed. */
  verification: readonly string[];
  agent: string;
  costUsd?: number;
  inputTokens?: number;
  outputTokens?: number;
  /** Tasks this one depends on, with their pull request numbers where they have one. */
  dependsOn: ReadonlyArray<{ taskId: string; pull?: number }>;
  /** Where to see the run (dashboard URL), or the command that shows it. */
  runLink?: string;
}

export const TASK_MARKER = "<!-- orchard:task -->";

/** The title of a task's pull request. */
export function taskPullTitle(info: Pick<TaskPullInfo, "taskId" | "title">): string {
  return `Task ${info.taskId}: ${info.title}`.slice(0, 256);
}

/** The body of a task's pull request (markdown). */
export function taskPullBody(info: TaskPullInfo): string {
  const lines = [
    TASK_MARKER,
    `Orchard task **${info.taskId}** of run \`${info.runId}\`: ${cell(info.title)}`,
    "",
  ];
  if (info.dependsOn.length > 0) {
    const deps = info.dependsOn.map((d) => (d.pull ? `#${d.pull} (task ${d.taskId})` : `task ${d.taskId}`));
    lines.push(
      `**Depends on:** ${deps.join(", ")} — merge after ${info.dependsOn.length > 1 ? "them" : "it"}.`,
      "",
    );
  }
  lines.push(
    "**Files:**",
    ...(info.files.length > 0 ? info.files.map((f) => `- \`${f}\``) : ["- (none declared)"]),
    "",
  );
  lines.push(
    "**Verification:**",
    ...(info.verification.length > 0 ? info.verification.map((v) => `- ✅ \`${v}\``) : ["- (no commands)"]),
    "",
  );
  lines.push("| agent | cost | tokens (in / out) |", "|---|---|---|");
  lines.push(
    `| ${cell(info.agent)} | ${usd(info.costUsd)} | ${count(info.inputTokens)} / ${count(info.outputTokens)} |`,
    "",
  );
  lines.push(info.runLink ? `Run: ${info.runLink}` : `Run: \`orchard status ${info.runId}\``);
  return lines.join("\n");
}

export interface RunSummaryRow {
  taskId: string;
  title: string;
  status: string;
  agent?: string;
  costUsd?: number;
  inputTokens?: number;
  outputTokens?: number;
}

/** The body of a run's single pull request: a table of every task. */
export function runPullBody(runId: string, rows: readonly RunSummaryRow[], runLink?: string): string {
  const cost = rows.reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
  const lines = [
    "<!-- orchard:run -->",
    `Orchard run \`${runId}\`: ${rows.length} task${rows.length === 1 ? "" : "s"}, ${usd(cost)} in total.`,
    "",
    "| task | title | status | agent | cost | tokens (in / out) |",
    "|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.taskId} | ${cell(r.title)} | ${r.status} | ${cell(r.agent ?? "")} | ${usd(r.costUsd)} | ${count(r.inputTokens)} / ${count(r.outputTokens)} |`,
    ),
    "",
    runLink ? `Run: ${runLink}` : `Run: \`orchard status ${runId}\``,
  ];
  return lines.join("\n");
}

function usd(value: number | undefined): string {
  return value === undefined ? "—" : `$${value.toFixed(4)}`;
}
function count(value: number | undefined): string {
  return value === undefined ? "—" : String(value);
}
/** Table cells and inline text: a pipe or newline would break the table. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}
