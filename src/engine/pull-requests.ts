import type { RunId, Store } from "../store/types.js";

export interface ActivePull {
  /** Null for the run's single pull request (`--land run-pr`). */
  taskId: string | null;
  number: number;
  url: string;
  /** GitHub's reason it did not merge, when a merge was asked for. */
  reason: string | null;
}

const PAGE = 500;

/**
 * A run's pull requests that are open on GitHub, as its `forge:pull` events last left them (the store's
 * event log is where they are recorded: a task with an open pull request is landed on the integration
 * branch, and its pull request is the event's).
 */
export async function activePulls(store: Store, runId: RunId): Promise<ActivePull[]> {
  const latest = new Map<number, ActivePull & { open: boolean }>();
  for (let after = 0; ; ) {
    const page = await store.listEvents(runId, after, PAGE);
    for (const e of page) {
      if (e.type !== "forge:pull") continue;
      const d = e.data as {
        taskId?: string | null;
        number: number;
        url: string;
        state: string;
        reason?: string;
      };
      latest.set(d.number, {
        taskId: d.taskId ?? null,
        number: d.number,
        url: d.url,
        reason: d.reason ?? null,
        open: d.state !== "merged",
      });
    }
    if (page.length < PAGE) break;
    after = page.at(-1)?.seq ?? after;
  }
  return [...latest.values()].filter((p) => p.open).map(({ open: _open, ...pull }) => pull);
}
