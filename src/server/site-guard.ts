import type { FastifyInstance, FastifyRequest } from "fastify";
import { OrchardError } from "../errors.js";
import { isLoopback } from "./config.js";

/** Methods that change nothing: no cross-site check (CORS preflights are OPTIONS). */
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** The host name of a `Host` header (`127.0.0.1:8001`, `[::1]:8001`, `localhost`), or null if malformed. */
export function hostName(header: string): string | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::\d{1,5})?$/.exec(header.trim());
  if (!m) return null;
  return (m[1] ?? m[2]!).toLowerCase();
}

/**
 * Why a state-changing request must be refused, or null: the browser says another site sent it
 * (`Sec-Fetch-Site`), or its `Origin` is neither this server nor a `--cors` origin. Clients that send
 * neither header (curl, scripts) are not browsers: another site cannot make them send anything.
 */
export function crossSiteReason(request: FastifyRequest, corsOrigins: readonly string[]): string | null {
  if (SAFE.has(request.method)) return null;
  const origin = request.headers.origin;
  if (typeof origin === "string" && corsOrigins.includes(origin)) return null;
  const site = request.headers["sec-fetch-site"];
  if (site === "cross-site" || site === "same-site") {
    return `refused: the browser says another site (${site}) sent this ${request.method}; call the API from this server's own pages, from a --cors origin, or from a client that is not a browser`;
  }
  if (typeof origin === "string") {
    const host = request.headers.host ?? "";
    if (origin !== `http://${host}` && origin !== `https://${host}`) {
      return `refused: Origin ${JSON.stringify(origin)} is not this server and not a --cors origin (add it with --cors ORIGIN if it should call the API)`;
    }
  }
  return null;
}

/**
 * The browser defences of an API that can start agent commands on this machine: no state-changing
 * request another site makes a browser send, and (on a loopback bind, where no token guards) no request
 * whose `Host` is not a loopback name, which is how a DNS-rebinding page reaches 127.0.0.1.
 */
export function guardSites(
  app: FastifyInstance,
  opts: { host: string; corsOrigins: readonly string[] },
): void {
  const loopback = isLoopback(opts.host);
  app.addHook("onRequest", async (request) => {
    if (loopback) {
      const header = request.headers.host;
      const name = header === undefined ? null : hostName(header);
      if (header !== undefined && (name === null || !isLoopback(name))) {
        throw new OrchardError(
          "FORBIDDEN",
          `refused: Host ${JSON.stringify(header)} is not a loopback name; this server listens on ${opts.host} and answers only to localhost, 127.0.0.1 or [::1]`,
        );
      }
    }
    const reason = crossSiteReason(request, opts.corsOrigins);
    if (reason) throw new OrchardError("FORBIDDEN", reason);
  });
}
