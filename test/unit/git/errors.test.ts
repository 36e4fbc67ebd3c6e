import { describe, expect, it } from "vitest";
import { classifyGitError, GIT_ERROR_CODES, GitError } from "../../../src/git/errors.js";

const LOCK_HINT = `

Another git process seems to be running in this repository, e.g.
an editor opened by 'git commit'. Please make sure all processes
are terminated then try again. If it still fails, a git process
may have crashed in this repository earlier:
remove the file manually to continue.`;

describe("classifyGitError", () => {
  const cases: Array<[string, string]> = [
    ["fatal: not a git repository (or any of the parent directories): .git", "NOT_A_REPO"],
    [`fatal: Unable to create '/tmp/r/.git/index.lock': File exists.${LOCK_HINT}`, "LOCKED"],
    ["error: could not lock config file .git/config: File exists", "LOCKED"],
    [
      "fatal: update_ref failed for ref 'refs/heads/x': cannot lock ref 'refs/heads/x': Unable to create '/tmp/r/.git/refs/heads/x.lock': File exists.",
      "LOCKED",
    ],
    [
      "fatal: update_ref failed for ref 'refs/heads/x': cannot lock ref 'refs/heads/x': is at c90369083524c0c507cc11756b1921a5f9364d92 but expected 1111111111111111111111111111111111111111",
      "REF_CHANGED",
    ],
    [
      "fatal: update_ref failed for ref 'refs/heads/x': cannot lock ref 'refs/heads/x': reference already exists",
      "REF_CHANGED",
    ],
    [
      "fatal: update_ref failed for ref 'refs/heads/nope': cannot lock ref 'refs/heads/nope': unable to resolve reference 'refs/heads/nope'",
      "REF_CHANGED",
    ],
    [
      "fatal: update_ref failed for ref 'refs/heads/x/y': cannot lock ref 'refs/heads/x/y': 'refs/heads/x' exists; cannot create 'refs/heads/x/y'",
      "REF_NAME_CONFLICT",
    ],
    ["fatal: a branch named 'x' already exists", "BRANCH_EXISTS"],
    ["fatal: '../w1' already exists", "WORKTREE_EXISTS"],
    ["fatal: 'main' is already checked out at '/tmp/r'", "BRANCH_CHECKED_OUT"],
    ["fatal: cannot force update the branch 'orchard/x' checked out at '/tmp/r'", "BRANCH_CHECKED_OUT"],
    [
      "fatal: ambiguous argument 'nope': unknown revision or path not in the working tree.\nUse '--' to separate paths from revisions",
      "BAD_REVISION",
    ],
    ["fatal: Needed a single revision", "BAD_REVISION"],
    ["fatal: not a valid object name: 'zzz'", "BAD_REVISION"],
    [
      "CONFLICT (content): Merge conflict in a\nAutomatic merge failed; fix conflicts and then commit the result.",
      "CONFLICT",
    ],
    [
      "error: Your local changes to the following files would be overwritten by checkout:\n\ta\nPlease commit your changes or stash them before you switch branches.",
      "DIRTY",
    ],
    ["fatal: something nobody has seen before", "UNKNOWN"],
    ["", "UNKNOWN"],
  ];

  it.each(cases)("classifies %j", (stderr, code) => {
    expect(classifyGitError(stderr)).toBe(code);
  });

  it("reads stdout only when stderr says nothing known (git prints 'nothing to commit' there)", () => {
    expect(classifyGitError("", "On branch main\nnothing to commit, working tree clean\n")).toBe(
      "NOTHING_TO_COMMIT",
    );
    expect(classifyGitError("fatal: Needed a single revision", "CONFLICT (content) in some file text")).toBe(
      "BAD_REVISION",
    );
  });

  it("keeps the code set closed", () => {
    expect(GIT_ERROR_CODES).toHaveLength(14);
  });
});

describe("GitError", () => {
  it("carries code, args, exit code and stderr, and names the command in its message", () => {
    const error = new GitError({
      code: "LOCKED",
      args: ["add", "-A"],
      exitCode: 128,
      stderr: "fatal: x\nmore",
    });
    expect(error).toMatchObject({
      code: "LOCKED",
      args: ["add", "-A"],
      exitCode: 128,
      stderr: "fatal: x\nmore",
    });
    expect(error.message).toBe("git add -A failed (LOCKED): fatal: x");
    expect(error).toBeInstanceOf(Error);
  });
});
