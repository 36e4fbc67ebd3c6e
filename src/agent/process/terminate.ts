import { groupAlive, killGroup, registerGroup, unregisterGroup } from "../../spawner/index.js";

/**
 * Ends one child's process group: SIGTERM to the group, then SIGKILL to whatever is left after the
 * grace period. The group stays in the exit-time registry until it is known to be gone.
 */
export class GroupTerminator {
  private killTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pgid: number,
    private readonly graceMs: number,
  ) {
    registerGroup(pgid);
  }

  get terminating(): boolean {
    return this.killTimer !== null;
  }

  terminate(): void {
    if (this.killTimer) return;
    if (!killGroup(this.pgid, "SIGTERM")) {
      unregisterGroup(this.pgid);
      return;
    }
    this.killTimer = setTimeout(() => {
      killGroup(this.pgid, "SIGKILL");
      unregisterGroup(this.pgid);
    }, this.graceMs);
    // Orchard need not stay up for this timer: if it exits first, the registry's exit hook kills the group.
    this.killTimer.unref();
  }

  /** The leader exited: anything left in its group (a dev server it started) goes with it. */
  leaderExited(): void {
    if (groupAlive(this.pgid)) this.terminate();
    else if (!this.killTimer) unregisterGroup(this.pgid);
  }

  /** The child's pipes closed: if the group already died of the TERM, there is no KILL to wait for. */
  settled(): void {
    if (this.killTimer && !groupAlive(this.pgid)) {
      clearTimeout(this.killTimer);
      unregisterGroup(this.pgid);
    }
  }
}
