import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { ServerContext } from "../context.js";
import { Health, Root } from "../legacy/schemas.js";

/** `/health` (no token needed), `/` and the OpenAPI document. */
export const metaRoutes: FastifyPluginAsync<{ ctx: ServerContext }> = async (plugin, { ctx }) => {
  const app = plugin.withTypeProvider<ZodTypeProvider>();
  app.get(
    "/health",
    { schema: { tags: ["original"], summary: "liveness", response: { 200: Health } } },
    async () => ({ status: "healthy" as const }),
  );
  app.get(
    "/",
    { schema: { tags: ["original"], summary: "name, version, status", response: { 200: Root } } },
    async () => ({ name: "orchard", version: ctx.config.version, status: "running" }),
  );
  app.get(
    "/openapi.json",
    {
      schema: {
        tags: ["meta"],
        summary: "this API's OpenAPI 3 document",
        response: { 200: z.record(z.string(), z.unknown()) },
      },
    },
    async () => plugin.swagger() as unknown as Record<string, unknown>,
  );
};
