import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type AgentContext, commandPreset, runAgent } from "../../../src/agent/index.js";
import { fixture, useTempDirs } from "./helpers.js";

const tempDir = useTempDirs();
const node = process.execPath;

async function context(prompt = "Do the task.\nSecond line."): Promise<AgentContext> {
  const dir = await tempDir();
  return {
    runId: "exec_t",
    taskId: "1.1",
    slotDir: dir,
    prompt,
    promptFile: join(dir, ".attempt", "prompt.md"),
    taskFile: join(dir, ".attempt", "task.json"),
    env: { ORCHARD_SLOT: "wt-1" },
  };
}

describe("runAgent with the command preset", () => {
  it("fails a non-zero exit with its last stderr line", async () => {
    const ctx = await context();
    const r = await runAgent(commandPreset(`${node} ${fixture("fail.mjs")} 4 "quota exceeded"`), ctx, {
      logPath: join(ctx.slotDir, "agent.log"),
    });
    expect(r.ok).toBe(false);
    expect(r.reason).toBe("exited with code 4: quota exceeded");
    expect(r.process.exitCode).toBe(4);
    expect(await readFile(r.logPath, "utf8")).toContain("quota exceeded");
  });

  it("reads usage from an orchard_usage line and gets the prompt on stdin", async () => {
    const ctx = await context("PROMPT-FIRST-LINE\nmore");
    const lines: string[] = [];
    const r = await runAgent(commandPreset(`${node} ${fixture("print-usage.mjs")} 0.25 7`), ctx, {
      logPath: join(ctx.slotDir, "agent.log"),
      onLine: (l) => lines.push(l),
    });
    expect(r.ok).toBe(true);
    expect(r.reason).toBeNull();
    expect(r.report.usage).toEqual({ costUsd: 0.25, turns: 7, inputTokens: 100, outputTokens: 20 });
    expect(lines).toContain("prompt: PROMPT-FIRST-LINE");
    expect(await readFile(ctx.promptFile, "utf8")).toBe("PROMPT-FIRST-LINE\nmore");
  });

  it("gives the idle reason when the agent goes quiet", async () => {
    const ctx = await context();
    const r = await runAgent(commandPreset(`${node} ${fixture("hang.mjs")}`), ctx, {
      logPath: join(ctx.slotDir, "agent.log"),
      idleTimeoutMs: 400,
      killGraceMs: 300,
    });
    expect(r.ok).toBe(false);
    expect(r.process.idleTimedOut).toBe(true);
    expect(r.reason).toBe("no output for 0.4 s");
  });

  it("gives the timeout reason at the wall limit", async () => {
    const ctx = await context();
    const r = await runAgent(commandPreset(`${node} ${fixture("sleep.mjs")} 60000`), ctx, {
      logPath: join(ctx.slotDir, "agent.log"),
      timeoutMs: 500,
      killGraceMs: 300,
    });
    expect(r.ok).toBe(false);
    expect(r.reason).toBe("timed out after 0.5 s");
  });

  it("fails an exit 0 that reported an error, passing the rate limit through", async () => {
    const ctx = await context();
    const line = JSON.stringify({
      orchard_report: { status: "error", error: "model overloaded", rateLimited: true },
    });
    const script = join(ctx.slotDir, "say.mjs");
    await import("node:fs/promises").then((fs) =>
      fs.writeFile(script, `console.log(${JSON.stringify(line)})`),
    );
    const r = await runAgent(commandPreset(`${node} ${script}`), ctx, {
      logPath: join(ctx.slotDir, "agent.log"),
    });
    expect(r.process.exitCode).toBe(0);
    expect(r.ok).toBe(false);
    expect(r.reason).toBe("model overloaded");
    expect(r.report.rateLimited).toBe(true);
  });

  it("runs in the slot with the slot environment, substituting placeholders", async () => {
    const ctx = await context();
    const r = await runAgent(
      commandPreset(`${node} ${fixture("sleep.mjs")} 1 {task_id}.out`),
      { ...ctx, env: { ...ctx.env } },
      { logPath: join(ctx.slotDir, "agent.log") },
    );
    expect(r.ok).toBe(true);
    expect(await readFile(join(ctx.slotDir, "1.1.out"), "utf8")).toBe("slept 1\n");
  });

  it("fails with a spawn error for a missing program", async () => {
    const ctx = await context();
    const r = await runAgent(commandPreset("orchard-missing-agent-zz {prompt_file}"), ctx, {
      logPath: join(ctx.slotDir, "agent.log"),
    });
    expect(r.ok).toBe(false);
    expect(r.reason).toBe("could not start the agent: command not found: orchard-missing-agent-zz");
  });
});
