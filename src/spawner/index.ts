/**
 * spawner: starts Orchard's child processes (git, agents, verification commands) from small helper
 * processes, so that no fork copies the engine's memory map or blocks its event loop.
 */

export { groupAlive, killGroup } from "./kill.js";
export {
  findPython,
  Spawner,
  type SpawnerKind,
  type SpawnOptions,
  type SpawnResult,
  type StartOptions,
  spawner,
  spawnerPids,
} from "./pool.js";
export { RemoteChild, RemoteStdin, RemoteStream } from "./remote-child.js";
