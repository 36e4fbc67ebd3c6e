import type { AgentUsage, RunId, RunStatus, Store } from "../store/types.js";

/** Everything that happens in a run, as typed events with namespaced names. */
export type EngineEvent =
  | { type: "run:started"; runId: RunId; tasks: number; workers: number; resumed: boolean }
  | { type: "run:finished"; runId: RunId; status: RunStatus; reason: string | null; durationMs: number }
  | { type: "run:interrupted"; runId: RunId; reason: string }
  | { type: "batch:ready"; runId: RunId; batchId: string; baseCommit: string }
  | { type: "task:queued"; runId: RunId; taskId: string; baseCommit: string }
  | { type: "task:started"; runId: RunId; taskId: string; attempt: number; slot: string; workerId: string }
  | { type: "task:verifying"; runId: RunId; taskId: string; attempt: number; commands: number }
  | {
      type: "task:completed";
      runId: RunId;
      taskId: string;
      attempt: number;
      commit: string | null;
      usage: AgentUsage | null;
    }
  | {
      type: "task:attempt-failed";
      runId: RunId;
      taskId: string;
      attempt: number;
      reason: string;
      willRetry: boolean;
      rateLimited: boolean;
    }
  | { type: "task:landed"; runId: RunId; taskId: string; commit: string; mergeMs?: number }
  | { type: "task:conflict"; runId: RunId; taskId: string; files: string[]; willRetry: boolean }
  | { type: "task:failed"; runId: RunId; taskId: string; reason: string }
  | { type: "task:skipped"; runId: RunId; taskId: string; reason: string }
  | { type: "task:cancelled"; runId: RunId; taskId: string }
  | { type: "attempt:fenced"; runId: RunId; taskId: string; attempt: number }
  | { type: "slot:acquired"; runId: RunId; slot: string; taskId: string; handoffMs: number }
  | { type: "worker:started"; runId: RunId; workerId: string }
  | { type: "worker:stopped"; runId: RunId; workerId: string }
  | { type: "spend:limit-reached"; runId: RunId; spentUsd: number; limitUsd: number }
  | { type: "agent:output"; runId: RunId; taskId: string; line: string }
  | { type: "engine:error"; runId: RunId; where: string; message: string }
  | {
      type: "forge:pull";
      runId: RunId;
      /** Null for the run's single pull request (`--land run-pr`). */
      taskId: string | null;
      number: number;
      url: string;
      state: "open" | "merged" | "blocked";
      reused: boolean;
      mergeCommit?: string;
      reason?: string;
    }
  | { type: "forge:waiting"; runId: RunId; number: number; reason: string };

export type EngineEventType = EngineEvent["type"];

/** Events that are not written to the store's event log (too chatty); they still reach listeners. */
const EPHEMERAL: ReadonlySet<EngineEventType> = new Set(["agent:output"]);
export const isPersisted = (e: EngineEvent) => !EPHEMERAL.has(e.type);

export type Listener = (event: EngineEvent) => void;

/**
 * Fan-out of engine events. A listener that throws is reported once through `onListenerError` and
 * never breaks the engine.
 */
export class EventBus {
  private readonly listeners = new Set<Listener>();
  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {}

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }
}

/**
 * Writes events to the store's log in order, off the engine's critical path: events that arrive while a
 * write is under way go together in the next one (one transaction, not one per event: each commit is a
 * file write, and a task emits about eight events).
 */
export function persistEvents(bus: EventBus, store: Store, runId: RunId) {
  let pending: Array<{ type: string; data: Record<string, unknown>; at: number }> = [];
  let writing: Promise<void> | null = null;
  const drain = async () => {
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      await store.appendEvents(runId, batch).catch(() => {});
    }
    writing = null;
  };
  const off = bus.on((event) => {
    if (!isPersisted(event)) return;
    const { type, runId: _r, ...data } = event;
    pending.push({ type, data: data as Record<string, unknown>, at: Date.now() });
    writing ??= drain();
  });
  return {
    flush: async () => {
      off();
      while (writing) await writing;
    },
  };
}
