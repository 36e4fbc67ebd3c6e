/**
 * spawner: the one way Orchard starts child processes (git, agents, verification commands): argv arrays,
 * a process group of their own, killed whole, and never outliving Orchard (the reaper).
 */

export { type Escapee, findEscaped, killEscaped, TRACE_VAR } from "./escaped.js";
export { groupAlive, killGroup, processAlive } from "./kill.js";
export { killAllChildren, liveGroupCount, registerGroup, unregisterGroup } from "./registry.js";
export { runBuffered, type SpawnOptions, type SpawnResult } from "./run.js";
export { type StartOptions, startChild } from "./start.js";
