import { describe, expect, it } from "vitest";
import { parseRefList } from "../../../src/git/parse/refs.js";
import { parseStatusPorcelainZ } from "../../../src/git/parse/status.js";
import { parseWorktreeListZ } from "../../../src/git/parse/worktree-list.js";

const TREE = "931af2af36334481c869807e5382913adf28f64c";

describe("parseStatusPorcelainZ", () => {
  it("parses modified, added, deleted and untracked entries", () => {
    expect(parseStatusPorcelainZ(" M src/a.ts\0A  new.ts\0 D gone.ts\0?? notes.txt\0")).toEqual([
      { x: " ", y: "M", path: "src/a.ts" },
      { x: "A", y: " ", path: "new.ts" },
      { x: " ", y: "D", path: "gone.ts" },
      { x: "?", y: "?", path: "notes.txt" },
    ]);
  });

  it("takes the original path of a rename from the following field", () => {
    expect(parseStatusPorcelainZ("R  new name.ts\0old name.ts\0M  b\0")).toEqual([
      { x: "R", y: " ", path: "new name.ts", origPath: "old name.ts" },
      { x: "M", y: " ", path: "b" },
    ]);
  });

  it("keeps spaces, unicode and newlines in paths verbatim", () => {
    expect(parseStatusPorcelainZ("?? with space.txt\0?? ünï cødé ✓.md\0?? line\nbreak\0")).toEqual([
      { x: "?", y: "?", path: "with space.txt" },
      { x: "?", y: "?", path: "ünï cødé ✓.md" },
      { x: "?", y: "?", path: "line\nbreak" },
    ]);
  });

  it("returns nothing for a clean tree and rejects garbage", () => {
    expect(parseStatusPorcelainZ("")).toEqual([]);
    expect(() => parseStatusPorcelainZ("garbage\0")).toThrow(/unexpected status entry/);
  });
});

describe("parseWorktreeListZ", () => {
  it("parses the main worktree, a detached one, a locked one and a prunable one", () => {
    const output =
      "worktree /repo\0HEAD 097acff18cf2696f05b055a5ab9dc67069ee2ec9\0branch refs/heads/main\0\0" +
      "worktree /repo/.orchard/worktrees/wt-1\0HEAD c90369083524c0c507cc11756b1921a5f9364d92\0detached\0\0" +
      "worktree /tmp/with space\nand newline\0HEAD c90369083524c0c507cc11756b1921a5f9364d92\0branch refs/heads/orchard/r/tasks/1\0locked because\0\0" +
      "worktree /gone\0HEAD c90369083524c0c507cc11756b1921a5f9364d92\0detached\0prunable gitdir file points to non-existent location\0\0";
    const entries = parseWorktreeListZ(output);
    expect(entries).toHaveLength(4);
    expect(entries[0]).toEqual({
      path: "/repo",
      head: "097acff18cf2696f05b055a5ab9dc67069ee2ec9",
      branch: "refs/heads/main",
      bare: false,
      detached: false,
      locked: null,
      prunable: null,
    });
    expect(entries[1]).toMatchObject({ path: "/repo/.orchard/worktrees/wt-1", detached: true, branch: null });
    expect(entries[2]).toMatchObject({
      path: "/tmp/with space\nand newline",
      branch: "refs/heads/orchard/r/tasks/1",
      locked: "because",
    });
    expect(entries[3]).toMatchObject({
      path: "/gone",
      prunable: "gitdir file points to non-existent location",
    });
  });

  it("parses a bare main repository and ignores labels it does not know", () => {
    expect(
      parseWorktreeListZ("worktree /srv/r.git\0bare\0\0worktree /w\0HEAD abc\0future thing\0detached\0\0"),
    ).toEqual([
      {
        path: "/srv/r.git",
        head: null,
        branch: null,
        bare: true,
        detached: false,
        locked: null,
        prunable: null,
      },
      { path: "/w", head: "abc", branch: null, bare: false, detached: true, locked: null, prunable: null },
    ]);
  });
});

describe("parseRefList", () => {
  it("splits ref and object name", () => {
    expect(
      parseRefList(`refs/heads/orchard/r/integration\0${TREE}\nrefs/heads/orchard/r/tasks/1.2\0${TREE}\n`),
    ).toEqual([
      { ref: "refs/heads/orchard/r/integration", sha: TREE },
      { ref: "refs/heads/orchard/r/tasks/1.2", sha: TREE },
    ]);
    expect(parseRefList("")).toEqual([]);
  });
});
