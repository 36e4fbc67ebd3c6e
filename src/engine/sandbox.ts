import { openSandbox, type Sandbox, sandboxSupport } from "../agent/index.js";
import type { AgentPreset } from "../agent/types.js";
import { OrchardError } from "../errors.js";
import type { RunOptions } from "./options.js";

/**
 * `--mode sandbox` refuses to start, before the run records anything, where bubblewrap cannot confine
 * its agents: the message says what to install. Running unconfined instead is never an option.
 */
export async function assertSandboxReady(options: Pick<RunOptions, "mode">): Promise<void> {
  if (options.mode !== "sandbox") return;
  const support = await sandboxSupport();
  if (!support.available) {
    throw new OrchardError("SANDBOX_UNAVAILABLE", `--mode sandbox cannot start: ${support.problem}`);
  }
}

/** The run's sandbox (closed by the caller when the run ends); undefined outside `--mode sandbox`. */
export function runSandbox(
  repo: string,
  options: Pick<RunOptions, "mode" | "allowHosts">,
  presets: Iterable<AgentPreset>,
): Promise<Sandbox | undefined> {
  if (options.mode !== "sandbox") return Promise.resolve(undefined);
  return openSandbox({ repo, presets: [...new Set(presets)], allowHosts: options.allowHosts });
}
