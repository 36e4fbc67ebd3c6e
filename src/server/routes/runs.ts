import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import {
  cancelRun,
  isRunLive,
  listRunSummaries,
  loadRun,
  type RunOptionsInput,
  retryTask,
  runView,
  taskDiff,
  taskView,
} from "../../engine/index.js";
import { usageError } from "../../errors.js";
import { loadPlan, parsePlan } from "../../plan/index.js";
import type { ServerContext } from "../context.js";
import {
  ApiError,
  CancelResponse,
  DiffResponse,
  ListQuery,
  RetryBody,
  RetryResponse,
  RunAccepted,
  RunDetail,
  RunList,
  RunParams,
  StartRunBody,
  Task,
  TaskParams,
} from "../native/schemas.js";
import { resolvePlanPath } from "../plan-roots.js";

export const errors = {
  400: ApiError,
  401: ApiError,
  403: ApiError,
  404: ApiError,
  409: ApiError,
  413: ApiError,
  422: ApiError,
  500: ApiError,
};
const tags = ["runs"];

/** `/api/runs…`: list, read, start, cancel, resume and retry runs, a task's attempts and its diff. */
export const runRoutes: FastifyPluginAsync<{ ctx: ServerContext }> = async (plugin, { ctx }) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  const { config, store, runs } = ctx;

  app.get(
    "/api/runs",
    {
      schema: {
        tags,
        summary: "runs, newest first",
        querystring: ListQuery,
        response: { 200: RunList, ...errors },
      },
    },
    async (request) => listRunSummaries(store, request.query),
  );

  app.post(
    "/api/runs",
    {
      schema: {
        tags,
        summary: "start a run of a plan (a file in a plan root, or its markdown)",
        body: StartRunBody,
        response: { 202: RunAccepted, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const options: RunOptionsInput = { ...config.runOptions, ...body.options };
      if (body.options?.agentCommand && !body.options.agent) options.agent = "command";
      if (!options.agent && !options.agentCommand) {
        throw usageError(
          "name the run's agent: options.agent or options.agentCommand (this server has no default agent)",
        );
      }
      const planPath =
        body.planPath === undefined
          ? null
          : await resolvePlanPath(body.planPath, config.repo, config.planRoots);
      const plan =
        planPath === null
          ? parsePlan(body.planMarkdown ?? "", { source: "plan.md" })
          : await loadPlan(planPath, { source: body.planPath ?? planPath });
      const handle = await runs.start({ plan, planPath, options, ...(body.base ? { base: body.base } : {}) });
      reply.code(202);
      return { id: handle.runId, status: "running" as const };
    },
  );

  app.get(
    "/api/runs/:runId",
    {
      schema: {
        tags,
        summary: "one run: batches, tasks, attempts, usage and cost, integration branch and head",
        params: RunParams,
        response: { 200: RunDetail, ...errors },
      },
    },
    async (request) => {
      const view = await runView(store, request.params.runId);
      return runs.running.includes(view.id) ? { ...view, live: true } : view;
    },
  );

  app.post(
    "/api/runs/:runId/cancel",
    {
      schema: {
        tags,
        summary: "cancel a run: running agents are killed",
        params: RunParams,
        response: { 200: CancelResponse, ...errors },
      },
    },
    async (request) => {
      const outcome = await cancelRun(store, request.params.runId);
      return { id: request.params.runId, outcome };
    },
  );

  app.post(
    "/api/runs/:runId/resume",
    {
      schema: {
        tags,
        summary: "continue an interrupted run in this server: landed work stays landed",
        params: RunParams,
        response: { 202: RunAccepted, ...errors },
      },
    },
    async (request, reply) => {
      const handle = await runs.resume(request.params.runId);
      reply.code(202);
      return { id: handle.runId, status: "running" as const };
    },
  );

  app.get(
    "/api/runs/:runId/tasks/:taskId",
    {
      schema: {
        tags,
        summary: "one task with its attempts",
        params: TaskParams,
        response: { 200: Task, ...errors },
      },
    },
    async (request) => taskView(store, request.params.runId, request.params.taskId),
  );

  app.post(
    "/api/runs/:runId/tasks/:taskId/retry",
    {
      schema: {
        tags,
        summary:
          "make a failed, skipped or cancelled task runnable again, and resume the run (unless resume: false)",
        params: TaskParams,
        body: RetryBody,
        response: { 200: RetryResponse, ...errors },
      },
    },
    async (request) => {
      const { runId, taskId } = request.params;
      const reset = await retryTask(store, runId, taskId);
      const run = await loadRun(store, runId);
      const executing = runs.running.includes(run.id) || (await isRunLive(store, run));
      const resume = request.body?.resume ?? true;
      if (resume && !executing) await runs.resume(run.id);
      return { id: run.id, reset, resumed: resume && !executing };
    },
  );

  app.get(
    "/api/runs/:runId/tasks/:taskId/diff",
    {
      schema: {
        tags,
        summary: "what the task's commit changed against the commit it started from",
        params: TaskParams,
        response: { 200: DiffResponse, ...errors },
      },
    },
    async (request) => taskDiff(store, request.params.runId, request.params.taskId),
  );
};
