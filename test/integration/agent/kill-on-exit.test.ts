import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { killAllChildren, runProcess } from "../../../src/agent/index.js";
import { fixture, isAlive, useTempDirs, waitFor } from "./helpers.js";

const tempDir = useTempDirs();
const node = process.execPath;
const agentIndex = fileURLToPath(new URL("../../../src/agent/index.ts", import.meta.url));

describe("children die with Orchard", () => {
  it("killAllChildren signals every live group", async () => {
    const cwd = await tempDir();
    let started = 0;
    let bothStarted: () => void = () => {};
    const ready = new Promise<void>((r) => {
      bothStarted = r;
    });
    const onLine = () => {
      if (++started === 2) bothStarted();
    };
    const a = runProcess({ argv: [node, fixture("hang.mjs")], cwd, onLine, timeoutMs: 60_000 });
    const b = runProcess({ argv: [node, fixture("hang.mjs")], cwd, onLine, timeoutMs: 60_000 });
    await ready;
    expect(killAllChildren()).toBeGreaterThanOrEqual(2);
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.signal).toBe("SIGTERM");
    expect(rb.signal).toBe("SIGTERM");
  });

  /**
   * A stand-in for Orchard: starts an agent that has a grandchild and, once it is up, runs `then`
   * without cleaning up. Returns how the stand-in ended and the grandchild's pid.
   */
  async function hostThat(then: string) {
    const dir = await tempDir();
    const pidFile = join(dir, "grandchild.pid");
    const host = join(dir, "host.mts");
    await writeFile(
      host,
      `import { runProcess } from ${JSON.stringify(agentIndex)};
       void runProcess({ argv: [process.execPath, ${JSON.stringify(fixture("grandchild.mjs"))}, ${JSON.stringify(pidFile)}],
         cwd: ${JSON.stringify(dir)}, onLine: (l) => { if (l.startsWith("spawned")) ${then}; } });`,
    );
    const tsx = fileURLToPath(import.meta.resolve("tsx"));
    const r = await runProcess({
      argv: [node, "--import", tsx, host],
      cwd: dir,
      timeoutMs: 60_000,
    });
    return { r, grandchild: Number(await readFile(pidFile, "utf8")) };
  }

  it("a process exiting with an agent running takes the agent's whole group with it", async () => {
    const { r, grandchild } = await hostThat("process.exit(0)");
    expect(r.exitCode).toBe(0);
    expect(grandchild).toBeGreaterThan(0);
    expect(await waitFor(() => !isAlive(grandchild))).toBe(true);
  });

  it("a process killed outright (no exit hook runs) still takes its agents' groups with it", async () => {
    // SIGKILL leaves Orchard no chance to clean up: the reaper process sees its stdin close.
    const { r, grandchild } = await hostThat('process.kill(process.pid, "SIGKILL")');
    expect(r.signal).toBe("SIGKILL");
    expect(grandchild).toBeGreaterThan(0);
    expect(await waitFor(() => !isAlive(grandchild))).toBe(true);
  });
});
