import type { FastifyRequest } from "fastify";

/** The cookie that keeps the token after a login on the dashboard's login page. */
export const TOKEN_COOKIE = "orchard_token";

/** The token in the request's `Cookie` header, if the login cookie is there. */
export function cookieToken(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === TOKEN_COOKIE) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** Dashboard paths anyone may load: the login page and the static files it needs. */
export const isPublicDashboardPath = (url: string): boolean =>
  url === "/ui/login" || url.startsWith("/ui/login?") || url.startsWith("/ui/static/");

/** A browser asking for a dashboard page (not a script, not the API): sent to the login page instead of a 401. */
export const wantsLoginPage = (request: FastifyRequest): boolean =>
  request.method === "GET" &&
  (request.url === "/" || request.url.startsWith("/ui")) &&
  (request.headers.accept ?? "").includes("text/html");

/**
 * Whether a state-changing request comes from the dashboard's own pages: the browser's Sec-Fetch-Site says
 * same-origin, or (older browsers) its Origin is this host. Clients that send neither are not browsers
 * and cannot be made to send a request by another site.
 */
export function sameOrigin(request: FastifyRequest): boolean {
  const site = request.headers["sec-fetch-site"];
  if (typeof site === "string") return site === "same-origin";
  const origin = request.headers.origin;
  if (typeof origin === "string") {
    const host = request.headers.host;
    return origin === `http://${host}` || origin === `https://${host}`;
  }
  return true;
}

/** Where the login page sends the browser back to: only a dashboard path of this server. */
export function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/ui(\/|$|\?)/.test(next) && !next.startsWith("//") ? next : "/ui/";
}
