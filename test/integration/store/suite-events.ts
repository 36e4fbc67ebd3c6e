import { expect, it } from "vitest";
import type { GetStore } from "./conformance.js";
import { runInput, T0 } from "./helpers.js";

/** Reading only some of a run's events (the dashboard's merge marks read task:landed, not the whole log). */
export function eventTypeSuite(get: GetStore): void {
  it("lists one run's events of the given types only, in seq order, paged with afterSeq and limit", async () => {
    const store = get();
    const { id } = runInput();
    const other = runInput().id;
    await store.appendEvents(
      id,
      [
        { type: "run:started", data: {} },
        { type: "task:started", data: { taskId: "1" } },
        { type: "task:landed", data: { taskId: "1" }, at: T0 + 5 },
        { type: "task:started", data: { taskId: "2" } },
        { type: "task:failed", data: { taskId: "2" } },
        { type: "task:landed", data: { taskId: "3" }, at: T0 + 9 },
        { type: "task:landed:extra", data: { taskId: "4" } },
      ],
      T0,
    );
    await store.appendEvent(other, "task:landed", { taskId: "9" }, T0);
    const landed = await store.listEventsOfTypes(id, ["task:landed"]);
    expect(landed.map((e) => [e.runId, e.type, e.data.taskId, e.at])).toEqual([
      [id, "task:landed", "1", T0 + 5],
      [id, "task:landed", "3", T0 + 9],
    ]);
    const all = await store.listEvents(id);
    expect(landed).toEqual(all.filter((e) => e.type === "task:landed"));
    const two = await store.listEventsOfTypes(id, ["task:failed", "task:landed"]);
    expect(two.map((e) => e.data.taskId)).toEqual(["1", "2", "3"]);
    expect(two.map((e) => e.seq)).toEqual([...two.map((e) => e.seq)].sort((a, b) => a - b));
    const page = await store.listEventsOfTypes(id, ["task:failed", "task:landed"], two[0]!.seq, 1);
    expect(page.map((e) => e.data.taskId)).toEqual(["2"]);
    expect(await store.listEventsOfTypes(id, ["task:landed"], landed[1]!.seq)).toEqual([]);
    expect(await store.listEventsOfTypes(id, [])).toEqual([]);
    expect(await store.listEventsOfTypes(id, ["no:such"])).toEqual([]);
  });

  it("gives the seq of a run's last event, and of every run's, without reading the events", async () => {
    const store = get();
    const { id } = runInput();
    const other = runInput().id;
    expect(await store.lastEventSeq(id)).toBe(0);
    const [, second] = await store.appendEvents(id, [
      { type: "a", data: {} },
      { type: "b", data: {} },
    ]);
    const last = await store.appendEvent(other, "c", {});
    expect(await store.lastEventSeq(id)).toBe(second);
    expect(await store.lastEventSeq(other)).toBe(last);
    expect(await store.lastEventSeq()).toBeGreaterThanOrEqual(last);
    expect(await store.lastEventSeq(null)).toBe(await store.lastEventSeq());
  });
}
