export { groupAlive, killAllChildren, killGroup, liveGroupCount } from "../../spawner/index.js";
export type { OutputStream, RunProcessOptions, RunProcessResult } from "./options.js";
export { DEFAULT_KILL_GRACE_MS } from "./options.js";
export { looksLikeSecret, redactArgv, redactCommandLine } from "./redact.js";
export { runProcess } from "./run-process.js";
