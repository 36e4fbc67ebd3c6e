import { setMaxListeners } from "node:events";
import type { FastifyInstance } from "fastify";
import { openRepoStore, unfinishedRuns } from "../engine/index.js";
import { OrchardError } from "../errors.js";
import { ensureRepo } from "../git/index.js";
import type { RunRecord, Store } from "../store/index.js";
import { buildApp } from "./app.js";
import { isLoopback, type ServerConfig } from "./config.js";
import type { ServerContext } from "./context.js";
import { LocalRuns } from "./local-runs.js";

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  store: Store;
  runs: LocalRuns;
  /** Runs left unfinished when the server started (interrupted, or killed mid-run): resumable. */
  unfinished: RunRecord[];
  /**
   * Stops accepting requests and claiming tasks; running attempts finish (`kill` ends them now); runs
   * left unfinished are interrupted and resumable. Resolves once everything is closed.
   */
  close(): Promise<void>;
  kill(): void;
}

/** Opens the repository's store, starts listening, and reports the runs an earlier server left unfinished. */
export async function startServer(config: ServerConfig): Promise<RunningServer> {
  if (!isLoopback(config.host) && !config.token) {
    throw new OrchardError(
      "USAGE",
      `listening on ${config.host} (not loopback) needs a token: pass --token-file FILE or set ORCHARD_TOKEN`,
    );
  }
  const repo = await ensureRepo(config.repo);
  const store = await openRepoStore(repo);
  const closing = new AbortController();
  // One listener per open event stream: many clients are not a leak.
  setMaxListeners(0, closing.signal);
  let app: FastifyInstance | undefined;
  const runs = new LocalRuns(repo, store, (runId, err) =>
    app?.log.error({ runId, err: String(err) }, "run ended with an error"),
  );
  const ctx: ServerContext = { config: { ...config, repo }, store, runs, closing: closing.signal };
  try {
    app = await buildApp(ctx);
    const unfinished = await unfinishedRuns(store);
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    const host = config.host.includes(":") ? `[${config.host}]` : config.host;
    const started = app;
    let closed: Promise<void> | undefined;
    return {
      url: `http://${host}:${port}`,
      app: started,
      store,
      runs,
      unfinished,
      close: () => {
        closed ??= (async () => {
          runs.stop();
          closing.abort();
          await started.close();
          await runs.settled();
          await store.close();
        })();
        return closed;
      },
      kill: () => runs.kill(),
    };
  } catch (err) {
    await app?.close().catch(() => {});
    await store.close();
    throw err;
  }
}
