/**
 * The dashboard places a run's merge marks and opens its live stream without reading the run's whole event
 * log (store.listEvents): it asks the store for the task:landed events and for where the log ends.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { makeRepo } from "../../helpers/git-repo.js";
import { Client, readSse, serveRepo, waitFor } from "../../helpers/server.js";
import { TWO_BATCHES } from "./plans.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("the dashboard's reads of the event log", () => {
  it("a run page shows a merge mark per landed task and its stream connects, neither reading the whole log", async () => {
    const repo = await makeRepo();
    await repo.write("plans/two.md", TWO_BATCHES);
    await repo.commit("plan");
    cleanups.push(() => repo.cleanup());
    const server = await serveRepo(repo.dir);
    cleanups.push(() => server.close());
    const api = new Client(server.url);
    const started = await api.post("/api/runs", { planPath: "plans/two.md" });
    const id = started.body.id as string;
    await waitFor("the run", async () => {
      const r = await api.get(`/api/runs/${id}`);
      return r.body.status === "succeeded" && !r.body.live ? true : undefined;
    });
    const events = (await server.store.listEvents(id as never, 0, 100_000)).length;
    expect(events).toBeGreaterThan(10);
    const whole = vi.spyOn(server.store, "listEvents");
    const all = vi.spyOn(server.store, "listAllEvents");

    const page = await api.get(`/ui/runs/${id}`, { accept: "text/html" });
    expect(page.status).toBe(200);
    const marks = [...page.text.matchAll(/<g class="merge" data-task="([^"]+)">/g)].map((m) => m[1]).sort();
    expect(marks).toEqual(["1.1", "1.2", "2.1"]);
    const part = await api.get(`/ui/part/runs/${id}`);
    expect(part.text).toContain('<g class="merge" data-task="2.1">');

    const last = await server.store.lastEventSeq(id as never);
    const live = await readSse(`${server.url}/ui/live?run=${id}`, (evs) => evs.length > 0);
    expect(live.events[0]).toMatchObject({ event: "update", id: String(last), data: "connected" });
    const everything = await readSse(`${server.url}/ui/live`, (evs) => evs.length > 0);
    expect(Number(everything.events[0]!.id)).toBeGreaterThanOrEqual(last);

    // The streams poll for what comes after the end of the log; nothing read it from further back.
    expect(whole.mock.calls.filter(([, after]) => (after ?? 0) < last)).toEqual([]);
    expect(all.mock.calls.filter(([after]) => (after ?? 0) < last)).toEqual([]);
  });
});
