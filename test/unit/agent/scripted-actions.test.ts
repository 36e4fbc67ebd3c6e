import { describe, expect, it } from "vitest";
import { planActions } from "../../../src/agent/index.js";
import { makeTask } from "../../helpers/make-task.js";

const contentOf = (actions: ReturnType<typeof planActions>, path: string) => {
  const a = actions.find((x) => x.path === path);
  return a && a.op !== "delete" ? a.content : undefined;
};

describe("scripted agent: what it writes", () => {
  it("uses the code block attached to the path (e2e-test-01)", () => {
    const task = makeTask({
      files: [{ path: "test-artifacts/hello.txt", kind: "create" }],
      implementation: "Create file `test-artifacts/hello.txt` with the following content:\n\n```\nHello\n```",
      codeBlocks: [
        { lang: null, value: "Hello from E2E Test 1\nCreated: 2026-01-13", path: "test-artifacts/hello.txt" },
      ],
    });
    expect(planActions(task)).toEqual([
      {
        op: "write",
        path: "test-artifacts/hello.txt",
        content: "Hello from E2E Test 1\nCreated: 2026-01-13\n",
        from: "code block",
      },
    ]);
  });

  it("attaches blocks to the path named before each when the parser did not (multi-file-test)", () => {
    const body = [
      "Create `out/one.txt`:",
      "```",
      "first",
      "```",
      "",
      "Create `out/two.json`:",
      "```json",
      '{"n": 2}',
      "```",
    ].join("\n");
    const task = makeTask({
      files: [
        { path: "out/one.txt", kind: "create" },
        { path: "out/two.json", kind: "create" },
      ],
      body,
      implementation: body,
      codeBlocks: [
        { lang: null, value: "first" },
        { lang: "json", value: '{"n": 2}' },
      ],
    });
    const actions = planActions(task);
    expect(contentOf(actions, "out/one.txt")).toBe("first\n");
    expect(contentOf(actions, "out/two.json")).toBe('{"n": 2}\n');
  });

  it("uses the only code block for the only created file", () => {
    const task = makeTask({
      files: [{ path: "a.txt", kind: "create" }],
      codeBlocks: [{ lang: null, value: "only block" }],
    });
    expect(contentOf(planActions(task), "a.txt")).toBe("only block\n");
  });

  it("reads inline content, with or without a colon (e2e-test-02, e2e-test-05)", () => {
    const task = makeTask({
      files: [
        { path: "t/file-a.txt", kind: "create" },
        { path: "t/temp.txt", kind: "create" },
        { path: "t/file with spaces & (special).txt", kind: "create" },
      ],
      implementation: [
        '1. `t/file-a.txt` with content: "File A content"',
        'First create `t/temp.txt` with content "Temporary file", then stop.',
        'Create a file named `t/file with spaces & (special).txt` with content: "Special chars test"',
      ].join("\n"),
    });
    const actions = planActions(task);
    expect(contentOf(actions, "t/file-a.txt")).toBe("File A content\n");
    expect(contentOf(actions, "t/temp.txt")).toBe("Temporary file\n");
    expect(contentOf(actions, "t/file with spaces & (special).txt")).toBe("Special chars test\n");
  });

  it("generates lines from a quoted {n} template (e2e-test-07)", () => {
    const task = makeTask({
      files: [{ path: "t/large.txt", kind: "create" }],
      implementation:
        "Create `t/large.txt` with 500 lines. Each line should follow this format:\n" +
        '"Line {n}: Lorem ipsum dolor sit amet, consectetur adipiscing elit."\n\n' +
        "Where {n} is the line number from 1 to 500.",
    });
    const text = contentOf(planActions(task), "t/large.txt")!;
    const lines = text.split("\n");
    expect(lines).toHaveLength(501);
    expect(lines[0]).toBe("Line 1: Lorem ipsum dolor sit amet, consectetur adipiscing elit.");
    expect(lines[499]).toBe("Line 500: Lorem ipsum dolor sit amet, consectetur adipiscing elit.");
    expect(lines[500]).toBe("");
  });

  it("generates lines from a code-block N template, even when the block is attached (large-file-test)", () => {
    const task = makeTask({
      files: [{ path: "t/large-file.txt", kind: "create" }],
      implementation: "Each line should contain:\n```\n…\n```\n\nWhere N is the line number from 1 to 500.",
      codeBlocks: [
        {
          lang: null,
          value: "Line N: This is line number N of the large file test. Lorem ipsum dolor sit amet.",
          path: "t/large-file.txt",
        },
      ],
    });
    const lines = contentOf(planActions(task), "t/large-file.txt")!.trimEnd().split("\n");
    expect(lines).toHaveLength(500);
    expect(lines[41]).toBe(
      "Line 42: This is line number 42 of the large file test. Lorem ipsum dolor sit amet.",
    );
  });

  it("writes nothing for a task that only reads (e2e-test-09)", () => {
    const task = makeTask({
      files: [{ path: "README.md", kind: "read" }],
      implementation: "Confirm that README.md exists. Do not modify anything.",
    });
    expect(planActions(task)).toEqual([]);
  });

  it("plans absolute paths too; refusing them is the applier's job (e2e-test-04)", () => {
    const task = makeTask({
      files: [{ path: "/root/forbidden/test.txt", kind: "create" }],
      implementation: 'Create file `/root/forbidden/test.txt` with content: "This should fail"',
    });
    expect(planActions(task)).toEqual([
      { op: "write", path: "/root/forbidden/test.txt", content: "This should fail\n", from: "inline" },
    ]);
  });

  it("falls back to a line naming the task; modify appends; delete removes; unspecified needs content", () => {
    const task = makeTask({
      title: "Tidy up",
      files: [
        { path: "new.txt", kind: "create" },
        { path: "old.txt", kind: "modify" },
        { path: "gone.txt", kind: "delete" },
        { path: "maybe.txt", kind: "unspecified" },
      ],
    });
    expect(planActions(task)).toEqual([
      {
        op: "write",
        path: "new.txt",
        content: "Written by the scripted agent for task 1.1: Tidy up\n",
        from: "default",
      },
      {
        op: "append",
        path: "old.txt",
        content: "Written by the scripted agent for task 1.1: Tidy up\n",
        from: "default",
      },
      { op: "delete", path: "gone.txt" },
    ]);
  });

  it("writes an unspecified file that has content", () => {
    const task = makeTask({
      files: [{ path: "notes.md", kind: "unspecified" }],
      implementation: 'Put `notes.md` with content: "hi"',
    });
    expect(contentOf(planActions(task), "notes.md")).toBe("hi\n");
  });
});
