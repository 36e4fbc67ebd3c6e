import { describe, expect, it } from "vitest";
import { normalizeBranch, slotName } from "../../../src/git/slot.js";

describe("normalizeBranch", () => {
  it("accepts short and full names under orchard/", () => {
    expect(normalizeBranch("orchard/exec_1/tasks/1.2")).toBe("orchard/exec_1/tasks/1.2");
    expect(normalizeBranch("refs/heads/orchard/exec_1/integration")).toBe("orchard/exec_1/integration");
  });

  it("refuses any branch Orchard does not own", () => {
    for (const bad of ["main", "refs/heads/main", "orchard/", "refs/tags/orchard/x", "feature/orchard/x"]) {
      expect(() => normalizeBranch(bad)).toThrow(/refs\/heads\/orchard/);
    }
  });

  it("names slots wt-N", () => {
    expect(slotName(3)).toBe("wt-3");
  });
});
