import type { Store } from "../store/index.js";
import type { ServerConfig } from "./config.js";
import type { LocalRuns } from "./local-runs.js";

/** What every route plugin is given: the server's configuration, its store and the runs it executes. */
export interface ServerContext {
  config: ServerConfig;
  store: Store;
  runs: LocalRuns;
  /** Resolves when the server is closing: open event streams end. */
  closing: AbortSignal;
}
