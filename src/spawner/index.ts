/**
 * spawner: starts Orchard's child processes (git, agents, verification commands) from small helper
 * processes, so that no fork copies the engine's memory map or blocks its event loop.
 */

export { findPython } from "./find-python.js";
export { groupAlive, killGroup, processAlive } from "./kill.js";
export {
  Spawner,
  type SpawnerKind,
  type SpawnOptions,
  type SpawnResult,
  type StartOptions,
  spawner,
  spawnerPids,
} from "./pool.js";
export { RemoteChild, RemoteStdin, RemoteStream } from "./remote-child.js";
