import type { RunOptionsInput } from "../engine/index.js";

/** The run options as commander hands them over (`orchard run`, `resume`, and the subset `serve` takes). */
export interface RunFlags {
  repo?: string;
  agent?: string;
  agentCommand?: string;
  agentArg?: string[];
  model?: string;
  workers?: number;
  slots?: number;
  mode?: "local" | "parallel" | "sandbox";
  allowHost?: string[];
  base?: string;
  into?: string;
  startBatch?: number;
  endBatch?: number;
  maxAttempts?: number;
  timeout?: number;
  idleTimeout?: number;
  logMax?: number;
  onConflict?: "retry" | "fail";
  parallel?: boolean;
  fileGuard?: boolean;
  commitHooks?: boolean;
  maxCostUsd?: number;
  attemptBudgetUsd?: number;
  setup?: string;
  land?: "merge" | "pr" | "run-pr";
  merge?: "squash" | "merge" | "rebase";
  githubApiUrl?: string;
  githubRemote?: string;
  prBase?: string;
  prLabel?: string[];
  json?: boolean;
}

/** The engine's run options for the flags given; what is not given is left to orchard.config.json and the defaults. */
export function toRunOptions(f: RunFlags): RunOptionsInput {
  const o: RunOptionsInput = {};
  if (f.agent) o.agent = f.agent;
  if (f.agentCommand) {
    o.agentCommand = f.agentCommand;
    if (!f.agent) o.agent = "command";
  }
  if (f.agentArg) o.agentArgs = f.agentArg;
  if (f.model) o.model = f.model;
  if (f.workers !== undefined) o.workers = f.workers;
  if (f.slots !== undefined) o.slots = f.slots;
  if (f.mode) o.mode = f.mode;
  if (f.allowHost) o.allowHosts = f.allowHost;
  if (f.into) o.into = f.into;
  if (f.startBatch !== undefined) o.startBatch = f.startBatch;
  if (f.endBatch !== undefined) o.endBatch = f.endBatch;
  if (f.setup !== undefined) o.setup = f.setup;
  if (f.maxAttempts !== undefined) o.maxAttempts = f.maxAttempts;
  if (f.timeout !== undefined) o.timeoutS = f.timeout;
  if (f.idleTimeout !== undefined) o.idleTimeoutS = f.idleTimeout;
  if (f.logMax !== undefined) o.logMaxMib = f.logMax;
  if (f.onConflict) o.onConflict = f.onConflict;
  if (f.parallel !== undefined) o.parallel = f.parallel;
  if (f.fileGuard === false) o.fileGuard = false;
  if (f.commitHooks) o.commitHooks = true;
  if (f.maxCostUsd !== undefined) o.maxCostUsd = f.maxCostUsd;
  if (f.attemptBudgetUsd !== undefined) o.attemptBudgetUsd = f.attemptBudgetUsd;
  if (f.land) o.land = f.land;
  if (f.merge) o.mergeMethod = f.merge;
  if (f.githubApiUrl) o.githubApiUrl = f.githubApiUrl;
  if (f.githubRemote) o.githubRemote = f.githubRemote;
  if (f.prBase) o.prBase = f.prBase;
  if (f.prLabel) o.prLabels = f.prLabel;
  return o;
}
