import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { liveGroupCount, runProcess } from "../../../src/agent/index.js";
import { fixture, isAlive, useTempDirs, waitFor } from "./helpers.js";

const node = process.execPath;
const tempDir = useTempDirs();

describe("runProcess", () => {
  it("reports a clean exit with the same fields as a failure", async () => {
    const cwd = await tempDir();
    const r = await runProcess({ argv: [node, fixture("noop.mjs")], cwd });
    expect(r).toMatchObject({
      exitCode: 0,
      signal: null,
      timedOut: false,
      idleTimedOut: false,
      aborted: false,
      spawnError: null,
      groupLeft: false,
    });
    expect(r.spawnMs).toBeGreaterThanOrEqual(0);
    expect(r.durationMs).toBeGreaterThanOrEqual(r.spawnMs);
  });

  it("reports a non-zero exit code and delivers each stream's lines", async () => {
    const cwd = await tempDir();
    const lines: string[] = [];
    const r = await runProcess({
      argv: [node, fixture("fail.mjs"), "3", "disk on fire"],
      cwd,
      onLine: (line, stream) => lines.push(`${stream}: ${line}`),
    });
    expect(r.exitCode).toBe(3);
    expect(lines.sort()).toEqual(["stderr: disk on fire", "stdout: working"]);
  });

  it("reports the signal that killed the child", async () => {
    const cwd = await tempDir();
    const r = await runProcess({ argv: [node, "-e", "process.kill(process.pid, 'SIGKILL')"], cwd });
    expect(r.exitCode).toBeNull();
    expect(r.signal).toBe("SIGKILL");
  });

  it("gives a spawnError, not a throw, for a missing binary", async () => {
    const cwd = await tempDir();
    const r = await runProcess({ argv: ["orchard-no-such-binary-xyz", "--help"], cwd });
    expect(r.spawnError).toBe("command not found: orchard-no-such-binary-xyz");
    expect(r.exitCode).toBeNull();
  });

  it("gives a spawnError naming a missing working directory", async () => {
    const cwd = await tempDir();
    const r = await runProcess({ argv: [node, fixture("noop.mjs")], cwd: join(cwd, "gone") });
    expect(r.spawnError).toMatch(/working directory does not exist/);
  });

  it("kills the group at the wall timeout", async () => {
    const cwd = await tempDir();
    const r = await runProcess({ argv: [node, fixture("hang.mjs")], cwd, timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.idleTimedOut).toBe(false);
    expect(r.signal).toBe("SIGTERM");
  });

  it("escalates to SIGKILL when the child ignores SIGTERM", async () => {
    const cwd = await tempDir();
    const ac = new AbortController();
    const r = await runProcess({
      argv: [node, fixture("hang.mjs")],
      cwd,
      env: { HANG_IGNORE_TERM: "1" },
      signal: ac.signal,
      // The first line comes after the fixture's SIGTERM handler is in place.
      onLine: () => ac.abort(),
      killGraceMs: 200,
    });
    expect(r.aborted).toBe(true);
    expect(r.signal).toBe("SIGKILL");
  });

  it("kills the group after the idle timeout, grandchildren included", async () => {
    const cwd = await tempDir();
    const pidFile = join(cwd, "grandchild.pid");
    const r = await runProcess({
      argv: [node, fixture("grandchild.mjs"), pidFile],
      cwd,
      // Long enough for the fixture to start its grandchild on a loaded machine before going quiet.
      idleTimeoutMs: 2000,
      killGraceMs: 500,
    });
    expect(r.idleTimedOut).toBe(true);
    expect(r.timedOut).toBe(false);
    const grandchild = Number(await readFile(pidFile, "utf8"));
    expect(grandchild).toBeGreaterThan(0);
    expect(await waitFor(() => !isAlive(grandchild))).toBe(true);
  });

  it("kills what is left of the group when the leader exits", async () => {
    const cwd = await tempDir();
    const pidFile = join(cwd, "orphan.pid");
    const script = `
      const { spawn } = require("node:child_process");
      const c = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { stdio: "ignore" });
      require("node:fs").writeFileSync(${JSON.stringify(pidFile)}, String(c.pid));
      process.exit(0);`;
    const r = await runProcess({ argv: [node, "-e", script], cwd, killGraceMs: 300 });
    expect(r.exitCode).toBe(0);
    const orphan = Number(await readFile(pidFile, "utf8"));
    expect(await waitFor(() => !isAlive(orphan))).toBe(true);
    expect(await waitFor(() => liveGroupCount() === 0)).toBe(true);
  });

  it("says when part of the group outlived the leader (it may still write to the work tree)", async () => {
    const cwd = await tempDir();
    const pidFile = join(cwd, "stubborn.pid");
    // Ignores SIGTERM, with its output closed: alive when the leader's pipes close, killed after the
    // grace. The leader exits once the child says (by its pid file) that its handler is in place.
    const child = `process.on("SIGTERM", () => {}); require("node:fs").writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1 << 30);`;
    const script = `
      const { spawn } = require("node:child_process");
      spawn(process.execPath, ["-e", ${JSON.stringify(child)}], { stdio: "ignore" });
      const wait = setInterval(() => { if (require("node:fs").existsSync(${JSON.stringify(pidFile)})) { clearInterval(wait); process.exit(0); } }, 10);`;
    const r = await runProcess({ argv: [node, "-e", script], cwd, killGraceMs: 2000 });
    expect(r.exitCode).toBe(0);
    expect(r.groupLeft).toBe(true);
    const stubborn = Number(await readFile(pidFile, "utf8"));
    expect(await waitFor(() => !isAlive(stubborn), 10_000)).toBe(true);
  });

  it("kills and reports a grandchild that escaped its group with setsid (issue 20)", async () => {
    const cwd = await tempDir();
    const pidFile = join(cwd, "escaped.pid");
    const logPath = join(cwd, "escaped.log");
    // A real `setsid sleep`: a session and group of its own, so killing the agent's group misses it.
    // The agent ends once the grandchild has left (its pid file is written after setsid).
    const grandchild = `echo $$ > ${pidFile}; exec sleep 1000`;
    const r = await runProcess({
      argv: [
        "sh",
        "-c",
        `setsid sh -c '${grandchild}' >/dev/null 2>&1 & while [ ! -s ${pidFile} ]; do sleep 0.05; done`,
      ],
      cwd,
      logPath,
      killGraceMs: 500,
    });
    expect(r.exitCode).toBe(0);
    const escaped = Number(await readFile(pidFile, "utf8"));
    expect(escaped).toBeGreaterThan(0);
    expect(r.escaped).toHaveLength(1);
    expect(r.escaped?.[0]).toMatch(new RegExp(`^${escaped} .*sleep 1000$`));
    expect(await waitFor(() => !isAlive(escaped))).toBe(true);
    expect(await readFile(logPath, "utf8")).toMatch(
      /1 process\(es\) that had left its process group: \d+ .*sleep 1000\n$/,
    );
  });

  it("kills the group when the caller aborts", async () => {
    const cwd = await tempDir();
    const ac = new AbortController();
    const running = runProcess({
      argv: [node, fixture("hang.mjs")],
      cwd,
      signal: ac.signal,
      onLine: () => ac.abort(),
    });
    const r = await running;
    expect(r.aborted).toBe(true);
    expect(r.timedOut).toBe(false);
  });

  it("does not start a process for an already aborted signal", async () => {
    const cwd = await tempDir();
    const r = await runProcess({
      argv: [node, fixture("sleep.mjs"), "10", "out.txt"],
      cwd,
      signal: AbortSignal.abort(),
    });
    expect(r.aborted).toBe(true);
    await expect(readFile(join(cwd, "out.txt"))).rejects.toThrow();
  });

  it("feeds the input to stdin, then closes it", async () => {
    const cwd = await tempDir();
    const lines: string[] = [];
    const r = await runProcess({
      argv: [node, "-e", "process.stdin.pipe(process.stdout)"],
      cwd,
      input: "first line\nsecond line\n",
      onLine: (l, s) => s === "stdout" && lines.push(l),
    });
    expect(r.exitCode).toBe(0);
    expect(lines).toEqual(["first line", "second line"]);
  });

  it("passes the environment through, added to the inherited one", async () => {
    const cwd = await tempDir();
    const lines: string[] = [];
    await runProcess({
      argv: [node, "-e", "console.log(process.env.ORCHARD_X, typeof process.env.PATH)"],
      cwd,
      env: { ORCHARD_X: "slot-3" },
      onLine: (l) => lines.push(l),
    });
    expect(lines).toEqual(["slot-3 string"]);
  });

  it("delivers lines of both streams and the last unterminated line", async () => {
    const cwd = await tempDir();
    const got: string[] = [];
    await runProcess({
      argv: [node, "-e", "process.stdout.write('a\\r\\nb\\nc'); process.stderr.write('err\\n')"],
      cwd,
      onLine: (l, s) => got.push(`${s}:${l}`),
    });
    expect(got.sort()).toEqual(["stderr:err", "stdout:a", "stdout:b", "stdout:c"]);
  });

  it("appends output to the log file with a header, never the environment", async () => {
    const dir = await tempDir();
    const logPath = join(dir, "logs", "deep", "task.log");
    const opts = {
      argv: [node, fixture("fail.mjs"), "1", "bad thing"],
      cwd: dir,
      env: { SECRET_TOKEN: "hunter2-secret" },
      logPath,
    };
    await runProcess(opts);
    await runProcess(opts);
    const log = await readFile(logPath, "utf8");
    expect(log.match(/^working$/gm)).toHaveLength(2);
    expect(log.match(/^bad thing$/gm)).toHaveLength(2);
    expect(log).toContain("fail.mjs");
    expect(log).toMatch(/# exit code 1 after \d+ ms/);
    expect(log).not.toContain("hunter2-secret");
  });

  it("hands the log's closing over with logClosed: once it settles, the log is whole", async () => {
    const dir = await tempDir();
    const logPath = join(dir, "agent.log");
    const closings: Promise<void>[] = [];
    const r = await runProcess({
      argv: [node, fixture("fail.mjs"), "2", "oops"],
      cwd: dir,
      logPath,
      logClosed: (closing) => closings.push(closing),
    });
    expect(r.exitCode).toBe(2);
    expect(closings).toHaveLength(1);
    await closings[0];
    const log = await readFile(logPath, "utf8");
    expect(log).toContain("oops");
    expect(log).toMatch(/# exit code 2 after \d+ ms\n$/);
  });

  it("scrubs secret environment values from the output lines, the log and onLine alike", async () => {
    const dir = await tempDir();
    const logPath = join(dir, "agent.log");
    const lines: string[] = [];
    await runProcess({
      argv: [
        node,
        "-e",
        "console.log('key is ' + process.env.ANTHROPIC_API_KEY + ', short ' + process.env.X_TOKEN)",
      ],
      cwd: dir,
      env: { ANTHROPIC_API_KEY: "sk-ant-very-secret-123", X_TOKEN: "1" },
      logPath,
      onLine: (l) => lines.push(l),
    });
    expect(lines).toEqual(["key is ***, short 1"]);
    const log = await readFile(logPath, "utf8");
    expect(log).toContain("key is ***");
    expect(log).not.toContain("sk-ant-very-secret-123");
  });

  it("scrubs a secret that the 1 MiB line limit cuts in two (issue 20, item 8)", async () => {
    const dir = await tempDir();
    const logPath = join(dir, "cut.log");
    const secret = "ghp_PLANTEDsecret0123456789abcdefghijkl";
    // No newline: the line is cut at 1 MiB, 8 characters into the secret ("…ghp_PLAN" / "TEDsecret…").
    const script = `process.stdout.write("x".repeat(1024 * 1024 - 8) + process.env.GH_TOKEN + " tail")`;
    const lines: string[] = [];
    const r = await runProcess({
      argv: [node, "-e", script],
      cwd: dir,
      env: { GH_TOKEN: secret },
      logPath,
      onLine: (l) => lines.push(l),
    });
    expect(r.exitCode).toBe(0);
    expect(lines.join("")).toBe(`${"x".repeat(1024 * 1024 - 8)}*** tail`);
    const log = (await readFile(logPath, "utf8")).replaceAll("\n", "");
    expect(log).not.toContain("TEDsecret");
    expect(log).not.toContain("ghp_PLAN");
  });

  it("caps an agent's log: keeps its head and tail and says how much was dropped", async () => {
    const dir = await tempDir();
    const logPath = join(dir, "capped.log");
    // 40,000 numbered lines of 100 bytes: ~3.8 MiB against a 1 MiB cap.
    const script = `let out = ""; for (let i = 0; i < 40000; i++) out += ("line " + i).padEnd(99, ".") + "\\n"; process.stdout.write(out);`;
    let lines = 0;
    const r = await runProcess({
      argv: [node, "-e", script],
      cwd: dir,
      logPath,
      logMaxBytes: 1024 * 1024,
      onLine: () => lines++,
    });
    expect(r.exitCode).toBe(0);
    expect(lines).toBe(40_000);
    const log = await readFile(logPath, "utf8");
    expect(Buffer.byteLength(log)).toBeLessThanOrEqual(1024 * 1024 + 1024);
    expect(log).toContain("line 0.");
    expect(log).toContain("line 39999.");
    expect(log).toMatch(/\[orchard: 2\.\d MiB dropped\]/);
    // The footer still ends the log.
    expect(log.trimEnd().split("\n").at(-1)).toMatch(/^# exit code 0 after \d+ ms$/);
  });

  it("masks credential-looking arguments in the log header", async () => {
    const dir = await tempDir();
    const logPath = join(dir, "a.log");
    await runProcess({
      argv: [node, fixture("noop.mjs"), "--api-key", "sk-123", "--token=abc"],
      cwd: dir,
      logPath,
    });
    const log = await readFile(logPath, "utf8");
    expect(log).not.toContain("sk-123");
    expect(log).not.toContain("abc");
    expect(log).toContain("--token=***");
  });

  it("streams a 50 MB output without holding it, and logs at most the default 10 MiB of it", async () => {
    const dir = await tempDir();
    const logPath = join(dir, "big.log");
    const script = `
      const line = "x".repeat(99) + "\\n";
      const block = line.repeat(10_000);
      let left = 50;
      const write = () => { while (left > 0) { left--; if (!process.stdout.write(block)) return process.stdout.once("drain", write); } };
      write();`;
    let lines = 0;
    let peakHeap = 0;
    const before = process.memoryUsage().heapUsed;
    const r = await runProcess({
      argv: [node, "-e", script],
      cwd: dir,
      logPath,
      onLine: () => {
        lines++;
        if (lines % 50_000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      },
    });
    expect(r.exitCode).toBe(0);
    expect(lines).toBe(500_000);
    const { size } = await import("node:fs/promises").then((fs) => fs.stat(logPath));
    expect(size).toBeLessThanOrEqual(10 * 1024 * 1024 + 1024);
    expect(await readFile(logPath, "utf8")).toMatch(
      /\[orchard: 37\.\d MiB dropped\]\n(x{99}\n)+# exit code 0/,
    );
    // Holding the output would need ≥ 50 MB; garbage between collections stays far below that.
    if (process.env.ORCHARD_MEASURE) console.log("peak heap growth MB", (peakHeap - before) / 2 ** 20);
    expect(peakHeap - before).toBeLessThan(40 * 1024 * 1024);
  });
});
