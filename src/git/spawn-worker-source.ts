/**
 * The code of a spawner process, as a string for `node -e` with an IPC channel: it works the same from
 * the TypeScript sources, from dist/, and under test runners, with no file to locate. It runs one git
 * process per request in its own process group, with stdin closed unless there is input, and a timeout
 * that kills the whole group (TERM, then KILL). When Orchard goes away (the channel closes), it kills
 * the groups it still runs and exits.
 */
export const SPAWN_WORKER_SOURCE = `
const { spawn } = require("node:child_process");
const KILL_GRACE_MS = 2000;
const killGroup = (pid, signal) => { try { process.kill(-pid, signal); } catch {} };
const live = new Set();
const parentPort = { postMessage: (m) => { if (process.connected) process.send(m); } };
process.on("disconnect", () => { for (const pid of live) killGroup(pid, "SIGKILL"); process.exit(0); });

process.on("message", (job) => {
  const started = performance.now();
  let child;
  try {
    child = spawn("git", job.args, {
      cwd: job.cwd,
      env: job.env,
      detached: true,
      stdio: [job.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
  } catch (err) {
    parentPort.postMessage({ id: job.id, type: "done", result: {
      stdout: "", stderr: String(err && err.message || err), exitCode: null, signal: null, timedOut: false,
      durationMs: performance.now() - started } });
    return;
  }
  const out = []; const err = [];
  let timedOut = false; let killTimer; let settled = false;
  const termTimer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) killGroup(child.pid, "SIGTERM");
    killTimer = setTimeout(() => { if (child.pid !== undefined) killGroup(child.pid, "SIGKILL"); }, KILL_GRACE_MS);
  }, job.timeoutMs);
  if (child.pid !== undefined) { live.add(child.pid); parentPort.postMessage({ id: job.id, type: "pid", pid: child.pid }); }
  child.stdout.on("data", (c) => out.push(c));
  child.stderr.on("data", (c) => err.push(c));
  if (job.input !== undefined) {
    child.stdin.on("error", () => {});
    child.stdin.end(job.input);
  }
  const finish = (exitCode, signal, spawnError) => {
    if (settled) return;
    settled = true;
    clearTimeout(termTimer); clearTimeout(killTimer);
    if (child.pid !== undefined) live.delete(child.pid);
    const stderr = Buffer.concat(err).toString("utf8");
    parentPort.postMessage({ id: job.id, type: "done", result: {
      stdout: Buffer.concat(out).toString("utf8"),
      stderr: spawnError && stderr === "" ? spawnError : stderr,
      exitCode, signal, timedOut, durationMs: performance.now() - started } });
  };
  child.on("error", (e) => finish(null, null, String(e && e.message || e)));
  child.on("close", (code, signal) => finish(code, signal, null));
});
`;
