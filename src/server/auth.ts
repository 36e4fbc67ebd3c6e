import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { OrchardError } from "../errors.js";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Compares in constant time: both sides are hashed first, so even their lengths do not show. */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** Every route but /health wants `Authorization: Bearer <token>`. */
export function requireToken(app: FastifyInstance, token: string): void {
  app.addHook("onRequest", async (request) => {
    if (request.url === "/health" || request.url.startsWith("/health?")) return;
    const header = request.headers.authorization ?? "";
    const match = /^Bearer (.+)$/.exec(header);
    if (!match) {
      throw new OrchardError("UNAUTHORIZED", "this server wants `Authorization: Bearer <token>`");
    }
    if (!tokenMatches(match[1]!, token)) throw new OrchardError("UNAUTHORIZED", "wrong token");
  });
}
