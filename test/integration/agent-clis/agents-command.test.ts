import path from "node:path";
import { Writable } from "node:stream";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { checkInstallations, listPresets, probeSandbox } from "../../../src/agent/index.js";
import { registerAgents } from "../../../src/cli/commands/agents.js";
import type { CliIo } from "../../../src/cli/io.js";
import { REAL_CLI_BINS, realCli } from "./helpers.js";

const BIN = REAL_CLI_BINS[0]!;

function captureIo(env: NodeJS.ProcessEnv): CliIo & { out: () => string } {
  let text = "";
  const sink = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stdout: sink, stderr: sink, env, cwd: process.cwd(), exitCode: 0, out: () => text };
}

async function agents(env: NodeJS.ProcessEnv, args: string[] = []): Promise<string> {
  const io = captureIo(env);
  const program = new Command("orchard").exitOverride();
  registerAgents(program, io);
  await program.parseAsync(["agents", ...args], { from: "user" });
  return io.out();
}

describe("orchard agents", () => {
  it("says which CLIs are missing, honouring ORCHARD_<NAME>_BIN, and never fails for it", async () => {
    const env = { PATH: "/nonexistent", ORCHARD_AIDER_BIN: "/nonexistent/aider" };
    const rows = JSON.parse(await agents(env, ["--json"])) as Array<Record<string, unknown>>;
    const aider = rows.find((r) => r.name === "aider");
    expect(aider).toMatchObject({
      installed: false,
      version: null,
      command: "/nonexistent/aider",
      binaryEnv: "ORCHARD_AIDER_BIN",
    });
    expect(rows.find((r) => r.name === "scripted")).toMatchObject({ installed: true, command: null });
    expect(rows.map((r) => r.name)).toEqual(listPresets().map((p) => p.name));
  });

  it("says whether --mode sandbox can confine agents here, and what to install when it cannot", async () => {
    const without = await agents({ PATH: "/nonexistent" });
    expect(without).toMatch(
      /^sandbox \(--mode sandbox\): unavailable: bubblewrap \(bwrap\) is not on PATH: install bubblewrap/m,
    );
    const support = await probeSandbox(process.env);
    const here = await agents(process.env);
    expect(here).toContain(
      support.available
        ? `sandbox (--mode sandbox): available (bubblewrap at ${support.bwrap})`
        : `sandbox (--mode sandbox): unavailable: ${support.problem}`,
    );
  });

  it.skipIf(!realCli("claude") || !realCli("codex"))(
    "finds the installed CLIs on PATH and prints their versions",
    async () => {
      const rows = await checkInstallations(listPresets(), {
        ...process.env,
        PATH: `${BIN}${path.delimiter}${process.env.PATH}`,
      });
      const byName = new Map(rows.map((r) => [r.name, r]));
      expect(byName.get("claude")).toMatchObject({ installed: true, path: path.join(BIN, "claude") });
      expect(byName.get("claude")?.version).toMatch(/^\d+\.\d+\.\d+ \(Claude Code\)$/);
      expect(byName.get("codex")?.version).toMatch(/^codex-cli \d+\.\d+\.\d+$/);
      const table = await agents({ PATH: BIN, ORCHARD_AIDER_BIN: "/nonexistent/aider" });
      expect(table).toMatch(/^claude\s+yes\s+\d+\.\d+\.\d+ \(Claude Code\)/m);
      expect(table).toMatch(/^aider\s+no\s+-/m);
      expect(table).toContain("ORCHARD_AIDER_BIN");
    },
  );
});
