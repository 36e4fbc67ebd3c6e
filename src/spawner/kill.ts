/**
 * Signals a whole process group: the child was spawned `detached`, so it leads a group whose id is its
 * pid, and `kill(-pgid)` reaches every grandchild that did not start its own session.
 * Returns false when the group no longer exists.
 */
export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
    // EPERM: the group holds a process we may not signal (it changed user); fall back to the leader.
    try {
      process.kill(pgid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

/** Whether any process of the group is still alive (signal 0 checks without signalling). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether a process of this machine is running (signal 0 checks without signalling; EPERM: it is). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}
