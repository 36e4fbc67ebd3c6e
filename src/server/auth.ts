import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { OrchardError } from "../errors.js";
import { cookieToken, isPublicDashboardPath, wantsLoginPage } from "./dashboard/guard.js";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Compares in constant time: both sides are hashed first, so even their lengths do not show. */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Every route but /health wants `Authorization: Bearer <token>`. The dashboard's login cookie stands in for
 * it on the dashboard and on the API's reads (its event streams); a browser without it is sent to log in.
 */
export function requireToken(app: FastifyInstance, token: string): void {
  app.addHook("onRequest", async (request, reply) => {
    if (request.url === "/health" || request.url.startsWith("/health?")) return;
    if (isPublicDashboardPath(request.url)) return;
    const header = request.headers.authorization ?? "";
    const match = /^Bearer (.+)$/.exec(header);
    if (!match) {
      const cookie = cookieToken(request.headers.cookie);
      const reading = request.method === "GET" || request.method === "HEAD";
      if (cookie !== null && tokenMatches(cookie, token) && (reading || request.url.startsWith("/ui/")))
        return;
      if (wantsLoginPage(request)) {
        return reply.redirect(`/ui/login?next=${encodeURIComponent(request.url)}`, 303);
      }
      throw new OrchardError("UNAUTHORIZED", "this server wants `Authorization: Bearer <token>`");
    }
    if (!tokenMatches(match[1]!, token)) throw new OrchardError("UNAUTHORIZED", "wrong token");
  });
}
