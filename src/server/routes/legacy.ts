import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { RunOptionsInput } from "../../engine/index.js";
import { usageError } from "../../errors.js";
import { loadPlan } from "../../plan/index.js";
import type { ServerContext } from "../context.js";
import {
  Detail,
  ExecutionParams,
  LegacyBatch,
  LegacyStatus,
  LegacyTask,
  StartBody,
  StartResponse,
  TaskParams,
} from "../legacy/schemas.js";
import { legacyBatches, legacyScope, legacyStatus, legacyTaskByNumber } from "../legacy/view.js";
import { resolvePlanPath } from "../plan-roots.js";

const errors = { 400: Detail, 401: Detail, 403: Detail, 404: Detail, 413: Detail, 422: Detail };
const tags = ["original"];

/** The original service's `/api/v1/autonomous/*` routes, byte-compatible, on the engine. */
export const legacyRoutes: FastifyPluginAsync<{ ctx: ServerContext }> = async (plugin, { ctx }) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  const { config, store, runs } = ctx;

  app.post(
    "/api/v1/autonomous/start",
    {
      schema: {
        tags,
        summary: "start an execution of a plan's batches",
        body: StartBody,
        response: { 200: StartResponse, ...errors, 409: Detail },
      },
    },
    async (request) => {
      const body = request.body;
      if (body.start_batch > body.end_batch) {
        throw usageError(`start_batch ${body.start_batch} is after end_batch ${body.end_batch}`);
      }
      // The original's `dagger` confined agents in containers; Orchard confines them with its OS sandbox.
      const mode = body.execution_mode === "dagger" ? "sandbox" : body.execution_mode;
      if (!config.runOptions.agent && !config.runOptions.agentCommand) {
        throw usageError(
          "this server was started without an agent: restart it with --agent or --agent-command",
        );
      }
      const path = await resolvePlanPath(body.plan_path, config.repo, config.planRoots);
      const plan = await loadPlan(path, { source: body.plan_path });
      const handle = await runs.start({
        plan,
        planPath: path,
        options: {
          ...config.runOptions,
          mode,
          ...(mode === "local" ? {} : { workers: config.workers }),
          startBatch: body.start_batch,
          endBatch: body.end_batch,
          ...autoMerge(config.runOptions, body.auto_merge),
        },
      });
      const { scoped } = await legacyScope(store, handle.runId);
      return {
        execution_id: handle.runId,
        status: "started" as const,
        batches_scheduled: scoped.map((b) => b.number),
      };
    },
  );

  app.get(
    "/api/v1/autonomous/:execution_id/status",
    {
      schema: {
        tags,
        summary: "an execution's status and counts",
        params: ExecutionParams,
        response: { 200: LegacyStatus, ...errors },
      },
    },
    async (request) => legacyStatus(store, request.params.execution_id, runs.running),
  );

  app.get(
    "/api/v1/autonomous/:execution_id/batches",
    {
      schema: {
        tags,
        summary: "an execution's batches in order, with their tasks in plan order",
        params: ExecutionParams,
        response: { 200: LegacyBatch.array(), ...errors },
      },
    },
    async (request) => legacyBatches(store, request.params.execution_id),
  );

  app.get(
    "/api/v1/autonomous/:execution_id/tasks/:task_number",
    {
      schema: {
        tags,
        summary: "one task of an execution, by its number in the plan",
        params: TaskParams,
        response: { 200: LegacyTask, ...errors },
      },
    },
    async (request) => legacyTaskByNumber(store, request.params.execution_id, request.params.task_number),
  );
};

/**
 * The original's `auto_merge`: on a server that lands with pull requests (`serve --land pr|run-pr`), true
 * merges them (with `--merge`'s method, squash by default, as the original did) and false leaves them open.
 * Landing on the integration branch has nothing to merge on GitHub, so there it changes nothing.
 */
function autoMerge(options: RunOptionsInput, auto: boolean): Pick<RunOptionsInput, "mergeMethod"> {
  if (!options.land || options.land === "merge") return {};
  return { mergeMethod: auto ? (options.mergeMethod ?? "squash") : undefined };
}
