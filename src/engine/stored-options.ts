import { redactArgv, redactCommandLine } from "../agent/index.js";
import { OrchardError } from "../errors.js";
import type { RunOptions, RunOptionsInput } from "./options.js";

/** What redaction leaves in place of a secret (agent/process/redact.ts). */
const MASK = "***";

/**
 * The run's options as the store keeps them, and so as `status --json`, the API and the dashboard show
 * them: command lines with secret-looking values masked (issue 20 item 7). The running process keeps
 * the real values; a resume that needs a masked one asks for it again (`assertResumable`).
 */
export function optionsForStore(options: RunOptions): string {
  return JSON.stringify({
    ...options,
    ...(options.agentCommand !== undefined && { agentCommand: redactCommandLine(options.agentCommand) }),
    ...(options.setup !== undefined && { setup: redactCommandLine(options.setup) }),
    agentArgs: redactArgv([...options.agentArgs]),
    verify: options.verify.map(redactCommandLine),
  });
}

/** A resume of a run whose stored command lines lost a secret must be given them again. */
export function assertResumable(stored: Partial<RunOptions>, given: Partial<RunOptionsInput>): void {
  const missing: string[] = [];
  if (stored.agentCommand?.includes(MASK) && given.agentCommand === undefined)
    missing.push("--agent-command");
  if (stored.setup?.includes(MASK) && given.setup === undefined) missing.push("--setup");
  if (stored.agentArgs?.some((a) => a.includes(MASK)) && given.agentArgs === undefined)
    missing.push("--agent-arg");
  if (missing.length > 0) {
    throw new OrchardError(
      "USAGE",
      `this run's ${missing.join(" and ")} held a secret, which Orchard did not store; pass ${missing.join(" and ")} again to resume (better: let the command read the secret from an environment variable)`,
    );
  }
}
