import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { liveGroupCount, runBuffered } from "../../../src/spawner/index.js";
import { isAlive, useTempDirs, waitFor } from "../agent/helpers.js";

const tempDir = useTempDirs();
const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

describe("runBuffered (git's runner)", () => {
  it("runs a program to the end: its input, its output as text, its exit code", async () => {
    const cwd = await tempDir();
    const r = await runBuffered("sh", ["-c", "cat; pwd; echo oops >&2; exit 3"], {
      cwd,
      env,
      input: "héllo\n",
      timeoutMs: 10_000,
    });
    expect(r).toMatchObject({
      stdout: `héllo\n${cwd}\n`,
      stderr: "oops\n",
      exitCode: 3,
      signal: null,
      timedOut: false,
    });
  });

  it("answers a missing program with ENOENT in the result, the same shape as a failure", async () => {
    const r = await runBuffered("orchard-no-such-program", [], {
      cwd: await tempDir(),
      env,
      timeoutMs: 10_000,
    });
    expect(r).toMatchObject({ exitCode: null, signal: null, timedOut: false, stdout: "" });
    expect(r.stderr).toMatch(/ENOENT/);
  });

  it("answers an argument no process can take (a NUL byte) in the result, without throwing", async () => {
    const r = await runBuffered("echo", ["a\0b"], { cwd: await tempDir(), env, timeoutMs: 10_000 });
    expect(r).toMatchObject({ exitCode: null, stdout: "" });
    expect(r.stderr).not.toBe("");
  });

  it("terminates the whole process group of a run past its timeout", async () => {
    const cwd = await tempDir();
    const pidFile = join(cwd, "grandchild.pid");
    const r = await runBuffered("sh", ["-c", `sleep 60 & echo $! > ${pidFile}; wait`], {
      cwd,
      env,
      timeoutMs: 500,
    });
    expect(r).toMatchObject({ timedOut: true, signal: "SIGTERM", exitCode: null });
    const grandchild = Number(await readFile(pidFile, "utf8"));
    expect(grandchild).toBeGreaterThan(0);
    expect(await waitFor(() => !isAlive(grandchild))).toBe(true);
    expect(liveGroupCount()).toBe(0);
  });
});
