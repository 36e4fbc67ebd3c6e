import { describe, expect, it } from "vitest";
import { parseMergeTreeZ, takeMergeTreeRecord } from "../../../src/git/parse/merge-tree.js";
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

describe("parseMergeTreeZ", () => {
  it("reads a clean merge's tree", () => {
    expect(parseMergeTreeZ(`${TREE}\0`, 0)).toEqual({ clean: true, tree: TREE });
  });

  it("reads conflicted paths and keeps only the conflict messages (git 2.39 output)", () => {
    const output =
      `${TREE}\0a\0dir/with space\0\0` +
      "1\0a\0Auto-merging\0Auto-merging a\n\0" +
      "1\0a\0CONFLICT (contents)\0CONFLICT (content): Merge conflict in a\n\0" +
      "2\0dir/with space\0other\0CONFLICT (modify/delete)\0CONFLICT (modify/delete): dir/with space deleted in b1 and modified in main.\n\0";
    expect(parseMergeTreeZ(output, 1)).toEqual({
      clean: false,
      tree: TREE,
      conflicts: ["a", "dir/with space"],
      message:
        "CONFLICT (content): Merge conflict in a\nCONFLICT (modify/delete): dir/with space deleted in b1 and modified in main.",
    });
  });

  it("rejects output without a tree", () => {
    expect(() => parseMergeTreeZ("fatal: nope", 1)).toThrow(/unexpected merge-tree output/);
  });
});

describe("takeMergeTreeRecord", () => {
  const clean = `1\0${TREE}\0\0\0`;
  const conflict =
    `0\0${TREE}\0a\0\0` +
    "1\0a\0Auto-merging\0Auto-merging a\n\0" +
    "1\0a\0CONFLICT (contents)\0CONFLICT (content): Merge conflict in a\n\0\0";

  it("takes answers off the front one at a time, as git merge-tree --stdin prints them (git 2.39)", () => {
    const first = takeMergeTreeRecord(clean + conflict + clean.slice(0, 10));
    expect(first?.result).toEqual({ clean: true, tree: TREE });
    const second = takeMergeTreeRecord(first!.rest);
    expect(second?.result).toEqual({
      clean: false,
      tree: TREE,
      conflicts: ["a"],
      message: "CONFLICT (content): Merge conflict in a",
    });
    expect(second?.rest).toBe(clean.slice(0, 10));
    expect(takeMergeTreeRecord(second!.rest)).toBeNull();
  });

  it("waits for the whole answer: no prefix of one is taken", () => {
    for (const whole of [clean, conflict]) {
      for (let cut = 0; cut < whole.length; cut++)
        expect(takeMergeTreeRecord(whole.slice(0, cut))).toBeNull();
      expect(takeMergeTreeRecord(whole)?.rest).toBe("");
    }
  });

  it("rejects output that is not an answer", () => {
    expect(() => takeMergeTreeRecord("fatal: nope\0x\0")).toThrow(/unexpected merge-tree --stdin output/);
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
