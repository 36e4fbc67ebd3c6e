import { existsSync } from "node:fs";
import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Spawner, type SpawnerKind } from "../../../src/spawner/index.js";
import { isAlive, useTempDirs, waitFor } from "../agent/helpers.js";

const tempDir = useTempDirs();
const spawners: Spawner[] = [];
afterEach(() => {
  for (const s of spawners.splice(0)) for (const pid of s.pids()) process.kill(pid, "SIGKILL");
});

function spawnerOf(kind: SpawnerKind, size = 1): Spawner {
  const s = new Spawner(size, kind);
  spawners.push(s);
  return s;
}

/** Every event a started child emits, in order, with its output joined per stream. */
function record(child: ReturnType<Spawner["start"]>) {
  const events: string[] = [];
  const out = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  child.stdout.on("data", (b: Buffer) => out.stdout.push(b));
  child.stderr.on("data", (b: Buffer) => out.stderr.push(b));
  for (const name of ["spawn", "error", "exit"] as const) {
    child.on(name, (...args: unknown[]) =>
      events.push(
        name === "error"
          ? `error ${(args[0] as NodeJS.ErrnoException).code}`
          : `${name} ${args.join(" ")}`.trim(),
      ),
    );
  }
  const closed = new Promise<void>((resolve) =>
    child.on("close", (code, signal) => {
      events.push(`close ${code} ${signal}`);
      resolve();
    }),
  );
  return { events, out, closed };
}

describe.each(["python", "node"] as const)("the %s spawner", (kind) => {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

  it("runs a program to the end: its input, its output as text, its exit code", async () => {
    const s = spawnerOf(kind);
    const cwd = await tempDir();
    const r = await s.run("sh", ["-c", "cat; pwd; echo oops >&2; exit 3"], {
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
    expect(s.runtime).toBe(kind);
  });

  it("answers a missing program with ENOENT in the result and goes on running others", async () => {
    const s = spawnerOf(kind);
    const cwd = await tempDir();
    const missing = await s.run("orchard-no-such-program", [], { cwd, env, timeoutMs: 10_000 });
    expect(missing).toMatchObject({ exitCode: null, signal: null, timedOut: false });
    expect(missing.stderr).toMatch(/ENOENT/);
    expect((await s.run("true", [], { cwd, env, timeoutMs: 10_000 })).exitCode).toBe(0);
  });

  it("terminates the whole process group of a run past its timeout", async () => {
    const s = spawnerOf(kind);
    const cwd = await tempDir();
    const pidFile = join(cwd, "grandchild.pid");
    const r = await s.run("sh", ["-c", `sleep 60 & echo $! > ${pidFile}; wait`], {
      cwd,
      env,
      timeoutMs: 500,
    });
    expect(r).toMatchObject({ timedOut: true, signal: "SIGTERM", exitCode: null });
    const { readFile } = await import("node:fs/promises");
    const grandchild = Number(await readFile(pidFile, "utf8"));
    expect(grandchild).toBeGreaterThan(0);
    expect(await waitFor(() => !isAlive(grandchild))).toBe(true);
  });

  it("streams a started child's bytes and reports spawn, exit and close in Node's order", async () => {
    const s = spawnerOf(kind);
    const cwd = await tempDir();
    const child = s.start("sh", ["-c", "printf 'a\\377\\000b'; echo warn >&2; exit 4"], { cwd, env });
    const { events, out, closed } = record(child);
    await closed;
    expect(Buffer.concat(out.stdout)).toEqual(Buffer.from([0x61, 0xff, 0x00, 0x62]));
    expect(Buffer.concat(out.stderr).toString()).toBe("warn\n");
    expect(events).toEqual(["spawn", "exit 4", "close 4 null"]);
    expect(child.pid).toBeGreaterThan(0);
  });

  it("feeds an open stdin as Orchard writes, and closes it on end", async () => {
    const s = spawnerOf(kind);
    const child = s.start("cat", [], { cwd: await tempDir(), env, openStdin: true });
    const { out, closed } = record(child);
    child.stdin!.write("one\n");
    child.stdin!.write("two\n");
    child.stdin!.end();
    await closed;
    expect(Buffer.concat(out.stdout).toString()).toBe("one\ntwo\n");
  });

  it("reports a child that cannot start as an error, then close, and no exit", async () => {
    const s = spawnerOf(kind);
    const { events, closed } = record(s.start("orchard-no-such-program", [], { cwd: await tempDir(), env }));
    await closed;
    // Node closes such a child with the negated errno as its code.
    expect(events).toEqual(["error ENOENT", "close -2 null"]);
  });

  it("reports an argument no process can take (a NUL byte) as that child's error, and goes on", async () => {
    const s = spawnerOf(kind);
    const cwd = await tempDir();
    const { events, closed } = record(s.start("echo", ["a\0b"], { cwd, env }));
    await closed;
    expect(events[0]).toMatch(/^error/);
    expect(events.at(-1)).toMatch(/^close/);
    expect(events.filter((e) => e === "spawn" || e.startsWith("exit"))).toEqual([]);
    const run = await s.run("echo", ["a\0b"], { cwd, env, timeoutMs: 10_000 });
    expect(run).toMatchObject({ exitCode: null, stdout: "" });
    expect(run.stderr).not.toBe("");
    expect((await s.run("true", [], { cwd, env, timeoutMs: 10_000 })).exitCode).toBe(0);
  });

  it("reports the signal that ended a child, and lets Orchard signal its group", async () => {
    const s = spawnerOf(kind);
    const child = s.start("sleep", ["60"], { cwd: await tempDir(), env });
    const { events, closed } = record(child);
    await new Promise((resolve) => child.once("spawn", resolve));
    process.kill(-child.pid!, "SIGKILL");
    await closed;
    expect(events).toEqual(["spawn", "exit  SIGKILL", "close null SIGKILL"]);
  });

  it.each(["SIGINT", "SIGTERM"] as const)(
    "outlives a %s to its group (Orchard's to act on) and keeps its running child",
    async (signal) => {
      const s = spawnerOf(kind);
      const cwd = await tempDir();
      const child = s.start("sh", ["-c", "sleep 0.5; echo finished"], { cwd, env });
      const { out, events, closed } = record(child);
      await new Promise((resolve) => child.once("spawn", resolve));
      for (const pid of s.pids()) process.kill(pid, signal);
      await closed;
      expect(Buffer.concat(out.stdout).toString()).toBe("finished\n");
      expect(events).toEqual(["spawn", "exit 0", "close 0 null"]);
      expect((await s.run("true", [], { cwd, env, timeoutMs: 10_000 })).exitCode).toBe(0);
    },
  );

  it("dates a child from when it was running, on this process's clock", async () => {
    const s = spawnerOf(kind);
    const cwd = await tempDir();
    // The spawner process itself is started and ready: this is about its children.
    await s.run("true", [], { cwd, env, timeoutMs: 10_000 });
    const started = join(cwd, "started");
    const sent = performance.now();
    const child = s.start("sh", ["-c", ': > "$0"', started], { cwd, env });
    const heard = new Promise<number>((resolve) => child.once("spawn", () => resolve(performance.now())));
    // This event loop stays busy until the child has visibly run (its file is there), however
    // long a loaded machine takes to start it, and a while longer for the spawner to note its
    // start (which it does just after exec, while the child may already be running): the
    // "spawn" message has to wait for the loop.
    const giveUp = sent + 60_000;
    while (!existsSync(started) && performance.now() < giveUp) {}
    expect(existsSync(started)).toBe(true);
    const busyUntil = performance.now() + 500;
    while (performance.now() < busyUntil) {}
    expect(await heard).toBeGreaterThanOrEqual(busyUntil);
    expect(child.spawnedAt).toBeGreaterThanOrEqual(sent);
    expect(child.spawnedAt).toBeLessThan(busyUntil);
  });
});

describe("where python3 does not work", () => {
  it.each([
    ["is not there", null],
    ["exits at once (too old, or broken)", "#!/bin/sh\nexit 1\n"],
  ])(
    "when python3 %s, the jobs already sent run on Node spawners, and so does everything after",
    async (_, script) => {
      const bin = await tempDir();
      if (script !== null) {
        await writeFile(join(bin, "python3"), script);
        await chmod(join(bin, "python3"), 0o755);
      }
      const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
      const saved = process.env.ORCHARD_PYTHON;
      process.env.ORCHARD_PYTHON = join(bin, "python3");
      const s = spawnerOf("python", 2);
      let run: ReturnType<Spawner["run"]>;
      let child: ReturnType<Spawner["start"]>;
      try {
        run = s.run("sh", ["-c", "echo ran"], { cwd: bin, env, timeoutMs: 10_000 });
        child = s.start("cat", [], { cwd: bin, env, openStdin: true });
      } finally {
        if (saved === undefined) delete process.env.ORCHARD_PYTHON;
        else process.env.ORCHARD_PYTHON = saved;
      }
      const { out, closed } = record(child);
      child.stdin!.write("fed before anyone knew\n");
      child.stdin!.end();
      expect((await run).stdout).toBe("ran\n");
      await closed;
      expect(Buffer.concat(out.stdout).toString()).toBe("fed before anyone knew\n");
      expect(s.runtime).toBe("node");
      expect((await s.run("true", [], { cwd: bin, env, timeoutMs: 10_000 })).exitCode).toBe(0);
    },
  );
});
