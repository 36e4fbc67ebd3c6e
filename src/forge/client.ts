import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import Bottleneck from "bottleneck";
import { DEFAULT_API_URL, type RepoCoordinates } from "./remote.js";

const OctokitWithPlugins = Octokit.plugin(retry, throttling);
/** The plugins add behaviour, not methods Orchard calls: the REST client's type is the surface. */
export type ForgeOctokit = Octokit;

export interface ForgeClientOptions extends RepoCoordinates {
  token: string;
  /** GitHub Enterprise: `https://<host>/api/v3`. */
  apiUrl?: string;
  /** Rate-limit waits per request before giving up (primary and secondary each). */
  maxRateLimitRetries?: number;
  /** Told of every rate-limit wait, for progress and events (seconds, which limit). */
  onRateLimit?: (waitS: number, kind: "primary" | "secondary", route: string) => void;
  /**
   * Time between two writes (POST, PATCH, PUT, DELETE). GitHub asks integrations for at least a second to
   * avoid secondary limits; tests against the stand-in set 0.
   */
  writeSpacingMs?: number;
}

/** A GitHub client bound to one repository. */
export interface ForgeClient extends RepoCoordinates {
  octokit: ForgeOctokit;
  apiUrl: string;
}

/**
 * Octokit with the retry plugin (5xx and network errors, with back-off) and the throttling plugin: a
 * primary limit (`x-ratelimit-remaining: 0`) waits until `x-ratelimit-reset`, a secondary one (403/429
 * with `retry-after`) waits what GitHub says; both then continue. Writes are spaced one second apart, as
 * GitHub asks of integrations. 405, 409 and 422 are answers the merge logic reads, so they are not retried.
 */
export function createForgeClient(opts: ForgeClientOptions): ForgeClient {
  const apiUrl = (opts.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, "");
  const maxRetries = opts.maxRateLimitRetries ?? 5;
  const onLimit =
    (kind: "primary" | "secondary") =>
    (
      retryAfter: number,
      options: { method?: string; url?: string },
      _octokit: unknown,
      retryCount: number,
    ) => {
      opts.onRateLimit?.(retryAfter, kind, `${options.method ?? ""} ${options.url ?? ""}`.trim());
      return retryCount < maxRetries;
    };
  const octokit: ForgeOctokit = new OctokitWithPlugins({
    auth: opts.token,
    baseUrl: apiUrl,
    userAgent: "orchard",
    // Octokit's default logger writes warnings (with request URLs) to the console; the engine reports instead.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    retry: { doNotRetry: [400, 401, 403, 404, 405, 409, 410, 422, 451] },
    throttle: {
      onRateLimit: onLimit("primary"),
      onSecondaryRateLimit: onLimit("secondary"),
      ...(opts.writeSpacingMs === undefined
        ? {}
        : { write: new Bottleneck.Group({ maxConcurrent: 1, minTime: opts.writeSpacingMs }) }),
    },
  });
  return { octokit, apiUrl, owner: opts.owner, repo: opts.repo };
}
