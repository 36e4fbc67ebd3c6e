import { z } from "zod";

// The original service's request and response shapes, field for field (its clients run unchanged).

export const StartBody = z.object({
  plan_path: z.string().min(1).describe("the plan file, relative to the repository or inside a plan root"),
  start_batch: z.number().int().min(1).default(1),
  end_batch: z.number().int().min(1).default(6),
  execution_mode: z.enum(["local", "parallel", "dagger", "sandbox"]).default("local"),
  auto_merge: z.boolean().default(true),
});

export const StartResponse = z.object({
  execution_id: z.string(),
  status: z.literal("started"),
  batches_scheduled: z.array(z.number().int()),
});

export const ExecutionParams = z.object({ execution_id: z.string().min(1) });
export const TaskParams = ExecutionParams.extend({ task_number: z.string().min(1) });

export const ExecutionStatusWord = z.enum([
  "started",
  "executing",
  "complete",
  "failed",
  "cancelled",
  "interrupted",
]);
export const BatchStatusWord = z.enum(["pending", "ready", "executing", "complete", "failed"]);
export const TaskStatusWord = z.enum(["pending", "in_progress", "pr_created", "merged", "failed"]);

export const LegacyTask = z.object({
  id: z.string(),
  task_number: z.string(),
  task_title: z.string(),
  branch_name: z.string(),
  pr_number: z.number().int().nullable(),
  pr_url: z.string().nullable(),
  status: TaskStatusWord,
  commits: z.array(z.string()),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  error: z.string().nullable(),
});

export const LegacyBatch = z.object({
  id: z.string(),
  batch_number: z.number().int(),
  status: BatchStatusWord,
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  tasks: z.array(LegacyTask),
});

export const LegacyStatus = z.object({
  execution_id: z.string(),
  status: ExecutionStatusWord,
  current_batch: z.number().int().nullable(),
  total_batches: z.number().int(),
  tasks_completed: z.number().int(),
  tasks_total: z.number().int(),
  tasks_failed: z.number().int(),
  active_prs: z.array(z.object({ task_number: z.string(), pr_number: z.number().int(), pr_url: z.string() })),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
});

export const Detail = z.object({
  detail: z.union([
    z.string(),
    z.array(z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() })),
  ]),
});

export const Health = z.object({ status: z.literal("healthy") });
export const Root = z.object({ name: z.string(), version: z.string(), status: z.string() });

export type LegacyTaskT = z.infer<typeof LegacyTask>;
export type LegacyBatchT = z.infer<typeof LegacyBatch>;
export type LegacyStatusT = z.infer<typeof LegacyStatus>;
