import { openSandbox, parseAllowedHost, type Sandbox, sandboxSupport } from "../agent/index.js";
import type { AgentPreset } from "../agent/types.js";
import { OrchardError, usageError } from "../errors.js";
import type { RunOptions } from "./options.js";

/**
 * `--mode sandbox` refuses to start, before the run records anything, where bubblewrap cannot confine
 * its agents (the message says what to install; running unconfined instead is never an option) or an
 * `--allow-host` entry is not a host.
 */
export async function assertSandboxReady(options: Pick<RunOptions, "mode" | "allowHosts">): Promise<void> {
  if (options.mode !== "sandbox") {
    if (options.allowHosts.length > 0) throw usageError("--allow-host applies to --mode sandbox only");
    return;
  }
  for (const entry of options.allowHosts) {
    try {
      parseAllowedHost(entry);
    } catch (err) {
      throw usageError((err as Error).message);
    }
  }
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
