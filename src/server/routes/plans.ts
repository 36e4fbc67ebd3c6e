import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { z } from "zod";
import { checkPlan } from "../../engine/index.js";
import { PlanError } from "../../plan/index.js";
import type { ServerContext } from "../context.js";
import { flag, PlanCheckInvalid, PlanCheckQuery, PlanCheckResponse } from "../native/schemas.js";
import { resolvePlanPath } from "../plan-roots.js";
import { errors } from "./runs.js";

/** `GET /api/plans/check`: what `orchard plan check --json` prints, for a plan inside the plan roots. */
export const planRoutes: FastifyPluginAsync<{ ctx: ServerContext }> = async (plugin, { ctx }) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  app.get(
    "/api/plans/check",
    {
      schema: {
        tags: ["plans"],
        summary: "parse a plan and explain it; an invalid plan is a 422 naming the line",
        querystring: PlanCheckQuery,
        response: { 200: PlanCheckResponse, ...errors, 422: PlanCheckInvalid },
      },
    },
    async (request, reply) => {
      const { path, parallel, fileGuard } = request.query;
      const real = await resolvePlanPath(path, ctx.config.repo, ctx.config.planRoots);
      try {
        const checked = await checkPlan(
          { path: real, source: path },
          { parallel: flag(parallel), fileGuard: fileGuard === undefined || flag(fileGuard) },
        );
        return checked as unknown as z.infer<typeof PlanCheckResponse>;
      } catch (err) {
        if (!(err instanceof PlanError) || err.code === "PLAN_FILE_NOT_FOUND") throw err;
        // The same body as `plan check --json` for an invalid plan (its error has a code and a message too).
        const error = { code: err.code, message: err.message, file: path, ...err.pos };
        return reply.code(422).send({ ok: false as const, error } as never);
      }
    },
  );
};
