import cors from "@fastify/cors";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { requireToken } from "./auth.js";
import type { ServerContext } from "./context.js";
import { installDashboard } from "./dashboard/index.js";
import { installErrorHandlers } from "./http-errors.js";
import { eventRoutes } from "./routes/events.js";
import { legacyRoutes } from "./routes/legacy.js";
import { metaRoutes } from "./routes/meta.js";
import { planRoutes } from "./routes/plans.js";
import { runRoutes } from "./routes/runs.js";
import { guardSites } from "./site-guard.js";

/** Headers and fields that may carry a secret: never in a log line. */
const REDACT = ["req.headers.authorization", "req.headers.cookie", 'req.headers["x-api-key"]'];

/** The HTTP app: one encapsulated plugin per area of routes, so the dashboard's pages can sit beside them. */
export async function buildApp(ctx: ServerContext): Promise<FastifyInstance> {
  const { config } = ctx;
  const app = Fastify({
    logger:
      config.logger === false
        ? false
        : { ...(config.logger === true ? { level: "info" } : config.logger), redact: REDACT },
    bodyLimit: config.bodyLimit,
    // A client that sends its request slowly is cut off rather than held open.
    requestTimeout: 60_000,
    return503OnClosing: true,
    forceCloseConnections: "idle",
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandlers(app);
  // JSON routes take JSON only: a text/plain body is what another site's page can post without asking.
  app.removeContentTypeParser("text/plain");
  guardSites(app, { host: config.host, corsOrigins: config.corsOrigins });
  await installDashboard(app, ctx);
  if (config.token) requireToken(app, config.token);
  // CORS stays off unless origins are named: the original allowed every origin with credentials.
  if (config.corsOrigins.length > 0) await app.register(cors, { origin: config.corsOrigins });
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Orchard",
        version: config.version,
        description:
          "Run markdown plans with coding agents: the original /api/v1/autonomous routes and /api/runs.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      ...(config.token ? { security: [{ bearer: [] }] } : {}),
    },
    transform: jsonSchemaTransform,
  });
  await app.register(metaRoutes, { ctx });
  await app.register(legacyRoutes, { ctx });
  await app.register(runRoutes, { ctx });
  await app.register(eventRoutes, { ctx });
  await app.register(planRoutes, { ctx });
  return app;
}
