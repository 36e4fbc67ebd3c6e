import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { ZodError } from "zod";
import { type ErrorCode, OrchardError } from "../errors.js";
import { isGitError } from "../git/index.js";
import { PlanError } from "../plan/index.js";

/** The original service's routes answer errors as FastAPI did: `{"detail": …}`. */
export const isLegacyUrl = (url: string) =>
  url.startsWith("/api/v1/") || url === "/health" || url === "/" || url.startsWith("/?");

interface Issue {
  /** Where: `["body", "start_batch"]`, as FastAPI names it. */
  loc: Array<string | number>;
  msg: string;
  type: string;
}

interface Classified {
  status: number;
  code: ErrorCode;
  message: string;
  issues?: Issue[];
}

/** Every error a route can throw, as a status, a stable code and a message that says what to fix. */
export function classify(err: unknown, request: FastifyRequest): Classified {
  if (err instanceof OrchardError) return { status: err.httpStatus, code: err.code, message: err.message };
  if (err instanceof PlanError) {
    const status = err.code === "PLAN_FILE_NOT_FOUND" ? 400 : 422;
    return { status, code: status === 400 ? "USAGE" : "PLAN_INVALID", message: err.format() };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as FastifyError).validationContext ?? "body";
    const issues = err.validation.map((v) => ({
      loc: [where, ...v.instancePath.split("/").filter(Boolean)],
      msg: v.message ?? "invalid",
      type: v.keyword,
    }));
    return { status: 422, code: "REQUEST_INVALID", message: describeIssues(issues), issues };
  }
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({
      loc: ["body", ...i.path.map((p) => (typeof p === "symbol" ? String(p) : p))],
      msg: i.message,
      type: i.code,
    }));
    return { status: 422, code: "REQUEST_INVALID", message: describeIssues(issues), issues };
  }
  const fe = err as FastifyError;
  if (fe?.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return { status: 413, code: "BODY_TOO_LARGE", message: "request body is too large" };
  }
  if (fe?.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    const given = request.headers["content-type"] ?? "none";
    return {
      status: 415,
      code: "REQUEST_INVALID",
      message: `this route takes a JSON body: send it with Content-Type: application/json (got ${given})`,
    };
  }
  if (typeof fe?.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own 4xx (malformed JSON, a wrong content type): their messages say what is wrong.
    return { status: fe.statusCode, code: "REQUEST_INVALID", message: fe.message };
  }
  if (isGitError(err) && err.code === "NOT_A_REPO") {
    return { status: 422, code: "REPO_INVALID", message: err.message };
  }
  request.log.error({ err }, "internal error");
  return { status: 500, code: "INTERNAL", message: "internal error: the server's log has the details" };
}

const describeIssues = (issues: Issue[]) =>
  issues.map((i) => `${i.loc.slice(1).join(".") || i.loc[0]}: ${i.msg}`).join("; ");

/** Legacy routes: `{"detail": "…"}`, or FastAPI's list of issues for a schema violation (422). */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => send(classify(err, request), request, reply));
  app.setNotFoundHandler((request, reply) =>
    send(
      { status: 404, code: "NOT_FOUND", message: `no route ${request.method} ${request.url.split("?")[0]}` },
      request,
      reply,
    ),
  );
}

function send(c: Classified, request: FastifyRequest, reply: FastifyReply) {
  reply.code(c.status).type("application/json; charset=utf-8");
  if (isLegacyUrl(request.url)) {
    if (c.status === 404 && c.code === "NOT_FOUND") return reply.send({ detail: "Not Found" });
    return reply.send({ detail: c.issues ?? c.message });
  }
  return reply.send({ error: { code: c.code, message: c.message } });
}
