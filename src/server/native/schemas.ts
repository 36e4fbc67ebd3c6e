import { z } from "zod";
import { RunOptionsSchema } from "../../engine/index.js";

// The native API's shapes: one schema per request and response; the OpenAPI document is made from them.

export const ApiError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

const ms = z.number().describe("epoch milliseconds");
const RunStatus = z.enum(["pending", "running", "interrupted", "succeeded", "failed", "cancelled"]);
const TaskStatus = z.enum([
  "pending",
  "queued",
  "running",
  "completed",
  "landed",
  "failed",
  "skipped",
  "cancelled",
]);

const Usage = z
  .object({
    sessionId: z.string().optional(),
    model: z.string().optional(),
    turns: z.number().optional(),
    inputTokens: z.number().optional(),
    outputTokens: z.number().optional(),
    cacheReadTokens: z.number().optional(),
    cacheWriteTokens: z.number().optional(),
    costUsd: z.number().optional(),
  })
  .nullable();

export const Attempt = z.object({
  taskId: z.string(),
  attempt: z.number().int(),
  workerId: z.string(),
  slotId: z.string().nullable(),
  status: z.enum(["running", "succeeded", "failed", "expired", "cancelled"]),
  reason: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  commit: z.string().nullable(),
  usage: Usage,
  timings: z
    .object({
      laneMs: z.number(),
      claimMs: z.number(),
      handoffMs: z.number(),
      setupMs: z.number(),
      spawnMs: z.number(),
      agentMs: z.number(),
      verifyMs: z.number(),
      commitMs: z.number(),
      mergeMs: z.number(),
    })
    .partial()
    .nullable(),
  startedAt: ms,
  finishedAt: ms.nullable(),
});

export const Task = z.object({
  taskId: z.string(),
  batchId: z.string(),
  index: z.number().int(),
  title: z.string(),
  status: TaskStatus,
  attempt: z.number().int(),
  maxAttempts: z.number().int(),
  baseCommit: z.string().nullable(),
  resultCommit: z.string().nullable(),
  landedCommit: z.string().nullable(),
  reason: z.string().nullable(),
  conflictRetries: z.number().int(),
  updatedAt: ms,
  attempts: z.array(Attempt),
});

export const Batch = z.object({
  batchId: z.string(),
  index: z.number().int(),
  title: z.string(),
  dependsOn: z.array(z.string()),
  baseCommit: z.string().nullable(),
  readyAt: ms.nullable(),
});

export const RunSummary = z.object({
  id: z.string(),
  status: RunStatus,
  live: z.boolean(),
  reason: z.string().nullable(),
  planPath: z.string().nullable(),
  integrationBranch: z.string(),
  integrationHead: z.string().nullable(),
  createdAt: ms,
  startedAt: ms.nullable(),
  finishedAt: ms.nullable(),
  tasks: z.number().int(),
  landed: z.number().int(),
  failed: z.number().int(),
});

export const RunList = z.object({ runs: z.array(RunSummary), total: z.number().int() });

export const RunDetail = z.object({
  id: z.string(),
  status: RunStatus,
  live: z.boolean(),
  reason: z.string().nullable(),
  planPath: z.string().nullable(),
  baseCommit: z.string(),
  integrationBranch: z.string(),
  integrationHead: z.string().nullable(),
  cancelRequested: z.boolean(),
  createdAt: ms,
  startedAt: ms.nullable(),
  finishedAt: ms.nullable(),
  options: z.record(z.string(), z.unknown()),
  counts: z.record(z.string(), z.number()),
  costUsd: z.number(),
  batches: z.array(Batch),
  tasks: z.array(Task),
});

export const ListQuery = z.object({
  status: RunStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Run options a request may set; the server's own (agent, limits) apply where it says nothing. */
export const RequestRunOptions = RunOptionsSchema.pick({
  agent: true,
  agentCommand: true,
  mode: true,
  workers: true,
  maxAttempts: true,
  timeoutS: true,
  idleTimeoutS: true,
  onConflict: true,
  fileGuard: true,
  parallel: true,
  startBatch: true,
  endBatch: true,
  maxCostUsd: true,
  model: true,
})
  .partial()
  .strict();

export const StartRunBody = z
  .object({
    planPath: z.string().min(1).optional().describe("a plan file inside the server's plan roots"),
    planMarkdown: z.string().min(1).optional().describe("the plan's markdown itself"),
    base: z.string().min(1).optional().describe("the commit the run starts from (default HEAD)"),
    options: RequestRunOptions.optional(),
  })
  .strict()
  .refine((b) => (b.planPath === undefined) !== (b.planMarkdown === undefined), {
    message: "give exactly one of planPath and planMarkdown",
    path: ["planPath"],
  });

export const RunAccepted = z.object({ id: z.string(), status: RunStatus });
export const RunParams = z.object({ runId: z.string().min(1) });
export const TaskParams = RunParams.extend({ taskId: z.string().min(1) });
export const CancelResponse = z.object({ id: z.string(), outcome: z.enum(["requested", "cancelled"]) });
export const RetryResponse = z.object({ id: z.string(), reset: z.array(z.string()), resumed: z.boolean() });
export const RetryBody = z
  .object({ resume: z.boolean().default(true) })
  .strict()
  .optional();

export const LogQuery = z.object({
  attempt: z.coerce.number().int().min(1).optional(),
  kind: z.enum(["agent", "setup", "verify"]).default("agent"),
  tail: z.coerce.number().int().min(1).max(100_000).optional(),
  start: z.coerce.number().int().min(0).optional(),
  end: z.coerce.number().int().min(0).optional(),
  follow: z.enum(["0", "1", "true", "false"]).optional(),
});

export const LogResponse = z.object({
  taskId: z.string(),
  attempt: z.number().int(),
  kind: z.enum(["agent", "setup", "verify"]),
  text: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  size: z.number().int(),
});

export const DiffResponse = z.object({
  taskId: z.string(),
  base: z.string(),
  commit: z.string(),
  diff: z.string(),
});

export const PlanCheckQuery = z.object({
  path: z.string().min(1),
  parallel: z.enum(["0", "1", "true", "false"]).optional(),
  fileGuard: z.enum(["0", "1", "true", "false"]).optional(),
});

export const PlanCheckResponse = z.object({
  ok: z.literal(true),
  plan: z.record(z.string(), z.unknown()),
  graph: z.object({ edges: z.record(z.string(), z.unknown()), waves: z.array(z.array(z.string())) }),
});

export const EventsQuery = z.object({ after: z.coerce.number().int().min(0).optional() });

export const flag = (v: string | undefined) => v === "1" || v === "true";

/** An invalid plan, as `plan check --json` says it; also the shape of any other 422 of the route. */
export const PlanCheckInvalid = z.object({
  ok: z.literal(false).optional(),
  error: z.object({
    code: z.string(),
    message: z.string(),
    file: z.string().optional(),
    line: z.number().int().optional(),
    column: z.number().int().optional(),
  }),
});
