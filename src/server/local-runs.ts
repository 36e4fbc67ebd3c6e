import {
  type RunHandle,
  type RunOptionsInput,
  type RunResult,
  resumeRun,
  startRun,
} from "../engine/index.js";
import { OrchardError } from "../errors.js";
import type { Plan } from "../plan/index.js";
import type { Store } from "../store/index.js";

/**
 * The runs this server process executes, started or resumed through the API with the engine's own
 * `startRun`/`resumeRun` (the same calls as `orchard run` and `orchard resume`), on the server's store.
 */
export class LocalRuns {
  readonly #handles = new Map<string, RunHandle>();
  #closing = false;

  constructor(
    private readonly repo: string,
    private readonly store: Store,
    private readonly onError: (runId: string, err: unknown) => void,
  ) {}

  async start(input: {
    plan: Plan;
    planPath: string | null;
    options: RunOptionsInput;
    base?: string;
  }): Promise<RunHandle> {
    this.#assertOpen();
    const handle = await startRun(
      {
        repo: this.repo,
        plan: input.plan,
        planPath: input.planPath,
        options: input.options,
        ...(input.base ? { base: input.base } : {}),
      },
      { store: this.store },
    );
    return this.#track(handle);
  }

  async resume(runId: string, options: Partial<RunOptionsInput> = {}): Promise<RunHandle> {
    this.#assertOpen();
    return this.#track(await resumeRun({ repo: this.repo, runId, options }, { store: this.store }));
  }

  get running(): string[] {
    return [...this.#handles.keys()];
  }

  /** First signal: no new runs; running ones stop claiming and let their attempts finish (resumable). */
  stop(reason = "the server is shutting down"): void {
    this.#closing = true;
    for (const handle of this.#handles.values()) handle.stop(reason);
  }

  /** Second signal: kill the running agents too. */
  kill(): void {
    for (const handle of this.#handles.values()) handle.kill();
  }

  /** Resolves once every run of this process has ended (finished or interrupted). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#handles.values()].map((h) => h.done));
  }

  #track(handle: RunHandle): RunHandle {
    this.#handles.set(handle.runId, handle);
    handle.done.then(
      (_result: RunResult) => this.#handles.delete(handle.runId),
      (err: unknown) => {
        this.#handles.delete(handle.runId);
        this.onError(handle.runId, err);
      },
    );
    return handle;
  }

  #assertOpen(): void {
    if (this.#closing) throw new OrchardError("RUN_BUSY", "the server is shutting down: start the run later");
  }
}
