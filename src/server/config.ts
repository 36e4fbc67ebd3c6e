import type { RunOptionsInput } from "../engine/index.js";

/** What `orchard serve` was started with; everything a route needs to know about its server. */
export interface ServerConfig {
  /** The repository's top level (real path): its store holds the runs the server shows. */
  repo: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Real paths of the directories plan paths must lie in (default: the repository). */
  planRoots: string[];
  /** Workers of an `execution_mode: "parallel"` run started through the original route. */
  workers: number;
  /** Run options of runs started through the API, before the request's own (agent, limits, setup …). */
  runOptions: RunOptionsInput;
  /** Every route but /health wants `Authorization: Bearer <token>` when set; required off loopback. */
  token: string | null;
  /** Origins allowed to call the API from a browser; none by default. */
  corsOrigins: string[];
  /** Largest request body accepted, bytes. */
  bodyLimit: number;
  /** Comment lines on idle event streams, so proxies keep them open. */
  heartbeatMs: number;
  /** How often an event stream looks for new events in the store (other processes' runs write there too). */
  pollMs: number;
  /** An event stream whose client reads slower than this many buffered bytes is closed (it reconnects). */
  maxStreamBufferBytes: number;
  /** … after waiting this long for it to read (ms). */
  streamDrainTimeoutMs: number;
  version: string;
  /** Pino options (false: no logging). */
  logger: boolean | { level: string; stream?: NodeJS.WritableStream };
}

export const DEFAULTS = {
  host: "127.0.0.1",
  port: 8001,
  workers: 3,
  bodyLimit: 1024 * 1024,
  heartbeatMs: 15_000,
  pollMs: 250,
  maxStreamBufferBytes: 1024 * 1024,
  streamDrainTimeoutMs: 30_000,
} as const;

/** 127.0.0.0/8, ::1 and localhost: the addresses that need no token. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
