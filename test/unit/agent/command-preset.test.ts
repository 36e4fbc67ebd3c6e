import { describe, expect, it } from "vitest";
import { type AgentContext, commandPreset } from "../../../src/agent/index.js";
import { OrchardError } from "../../../src/errors.js";

const ctx: AgentContext = {
  runId: "exec_1",
  taskId: "2.3",
  slotDir: "/pool/wt 1",
  prompt: "SECRET PROMPT TEXT",
  promptFile: "/runs/exec_1/2.3/prompt.md",
  taskFile: "/runs/exec_1/2.3/task.json",
  env: {},
};

describe("commandPreset", () => {
  it("splits words as a shell would, quotes and backslashes included", () => {
    const p = commandPreset(`my-agent "two words" 'single $quoted' back\\ slash --flag=a`);
    expect(p.invocation(ctx).argv).toEqual([
      "my-agent",
      "two words",
      "single $quoted",
      "back slash",
      "--flag=a",
    ]);
  });

  it("substitutes placeholders, also inside a word", () => {
    const p = commandPreset(
      "agent --file={prompt_file} {task_id} --run={run_id} --in {slot_dir} --task={task_file} {task_id}-{run_id}",
    );
    expect(p.invocation(ctx).argv).toEqual([
      "agent",
      "--file=/runs/exec_1/2.3/prompt.md",
      "2.3",
      "--run=exec_1",
      "--in",
      "/pool/wt 1",
      "--task=/runs/exec_1/2.3/task.json",
      "2.3-exec_1",
    ]);
  });

  it("puts the prompt on stdin and never on argv", () => {
    const inv = commandPreset("agent {prompt_file}").invocation({ ...ctx, extraArgs: ["--fast"] });
    expect(inv.stdin).toBe("prompt");
    expect(inv.argv.join(" ")).not.toContain("SECRET PROMPT TEXT");
    expect(inv.argv.at(-1)).toBe("--fast");
  });

  it.each([
    ["agent | tee log", '"|" is a shell operator'],
    ["agent && echo done", '"&&" is a shell operator'],
    ["agent > out.txt", '">" is a shell operator'],
    ["agent; rm -rf x", '";" is a shell operator'],
    ["agent $OPENAI_API_KEY", "$OPENAI_API_KEY would need a shell"],
    ['agent "--key=$OPENAI_API_KEY"', "$OPENAI_API_KEY would need a shell"],
    ['sh -c "echo ok" $ORCHARD_TASK_ID', "$ORCHARD_TASK_ID would need a shell"],
    ['python -c "print($ORCHARD_TASK_ID)"', "$ORCHARD_TASK_ID would need a shell"],
    ["agent #comment", "starts a shell comment"],
    ["agent {prompt}", "the prompt never goes on argv"],
    ["agent {promt_file}", "unknown placeholder {promt_file}"],
    ["   ", "agent command is empty"],
  ])("rejects %s", (template, message) => {
    const err = (() => {
      try {
        commandPreset(template);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(OrchardError);
    expect((err as OrchardError).code).toBe("USAGE");
    expect((err as OrchardError).message).toContain(message);
  });

  it("accepts a double-quoted script for sh -c with $VAR in it: that shell expands it (issue 21 item 5)", () => {
    const p = commandPreset('sh -c "echo done > out-$ORCHARD_TASK_ID.txt; cat ${ORCHARD_SLOT}"');
    expect(p.invocation(ctx).argv).toEqual([
      "sh",
      "-c",
      "echo done > out-$ORCHARD_TASK_ID.txt; cat $ORCHARD_SLOT",
    ]);
    expect(
      commandPreset('/bin/bash -c "agent --id $ORCHARD_TASK_ID" {task_id}').invocation(ctx).argv[2],
    ).toBe("agent --id $ORCHARD_TASK_ID");
  });

  it("keeps a glob as a literal word, since no shell expands it", () => {
    expect(commandPreset("agent *.ts").invocation(ctx).argv).toEqual(["agent", "*.ts"]);
  });
});
