/**
 * The code of a spawner process, as a string for `node -e` with an IPC channel (advanced serialization,
 * so output chunks travel as bytes): it works the same from the TypeScript sources, from dist/, and
 * under test runners, with no file to locate. Every child it starts leads its own process group.
 *
 * - `run` jobs (git): stdin closed unless there is input, output collected, a timeout that kills the
 *   whole group (TERM, then KILL), one `done` message with the result.
 * - `start` jobs (agents, verification commands, long-lived git servers): `spawn`, `data`, `error`,
 *   `exit` and `close` messages as the child produces them; `pause`/`resume`/`destroy` act on its output
 *   pipes; with `openStdin`, `write` and `end` feed its stdin as Orchard goes. Supervision (timeouts,
 *   kills) stays with Orchard, which signals the group itself.
 *
 * When Orchard goes away (the channel closes), it kills every group it started and exits.
 *
 * A terminal's Ctrl-C signals its whole foreground process group, and so does `timeout` its SIGTERM; a
 * spawner is in Orchard's group: it must outlive those signals, which are Orchard's to act on (stop
 * claiming, let running attempts finish), or every running attempt would lose its agent's output and
 * exit and count as failed. It never outlives Orchard: its channel closes when Orchard goes. Its
 * children lead groups of their own and start with default signal handling, so they never see them.
 */
export const SPAWNER_SOURCE = `
const { spawn } = require("node:child_process");
const KILL_GRACE_MS = 2000;
const killGroup = (pid, signal) => { try { process.kill(-pid, signal); } catch {} };
const live = new Set();
const started = new Map();
const send = (m) => { if (process.connected) process.send(m); };
process.on("disconnect", () => { for (const pid of live) killGroup(pid, "SIGKILL"); process.exit(0); });
process.on("SIGINT", () => {});
process.on("SIGTERM", () => {});
// A message sent as Orchard exits fails with EPIPE; the disconnect above ends this process then.
process.on("error", () => {});

process.on("message", (m) => {
  if (m.type === "run") return runJob(m);
  if (m.type === "start") return startJob(m);
  const child = started.get(m.id);
  if (!child) return;
  if (m.type === "write") return void (child.stdin && child.stdin.write(m.data));
  if (m.type === "end") return void (child.stdin && child.stdin.end());
  for (const stream of [child.stdout, child.stderr]) {
    if (m.type === "pause") stream.pause();
    else if (m.type === "resume") stream.resume();
    else if (m.type === "destroy") stream.destroy();
  }
});

function open(job) {
  return spawn(job.file, job.args, {
    cwd: job.cwd,
    env: job.env,
    detached: true,
    stdio: [job.input === undefined && !job.openStdin ? "ignore" : "pipe", "pipe", "pipe"],
  });
}

function feed(child, input) {
  if (input === undefined || !child.stdin) return;
  // The child may exit without reading its input; EPIPE then is expected, not an error.
  child.stdin.on("error", () => {});
  child.stdin.end(input);
}

function startJob(job) {
  const id = job.id;
  let child;
  try {
    child = open(job);
  } catch (err) {
    send({ id, type: "error", code: err && err.code, message: String(err && err.message || err) });
    send({ id, type: "close", code: null, signal: null });
    return;
  }
  started.set(id, child);
  // at: when the program was running (exec done), on the shared clock (timeOrigin + now), so Orchard can
  // tell when the child started rather than when it heard of it.
  child.once("spawn", () => {
    live.add(child.pid);
    send({ id, type: "spawn", pid: child.pid, at: performance.timeOrigin + performance.now() });
  });
  child.on("error", (err) => send({ id, type: "error", code: err && err.code, message: String(err && err.message || err) }));
  child.stdout.on("data", (chunk) => send({ id, type: "data", stream: "stdout", chunk }));
  child.stderr.on("data", (chunk) => send({ id, type: "data", stream: "stderr", chunk }));
  if (job.openStdin) child.stdin.on("error", () => {});
  else feed(child, job.input);
  child.once("exit", (code, signal) => send({ id, type: "exit", code, signal }));
  child.once("close", (code, signal) => {
    if (child.pid !== undefined) live.delete(child.pid);
    started.delete(id);
    send({ id, type: "close", code, signal });
  });
}

function runJob(job) {
  const began = performance.now();
  let child;
  try {
    child = open(job);
  } catch (err) {
    send({ id: job.id, type: "done", result: {
      stdout: "", stderr: String(err && err.message || err), exitCode: null, signal: null, timedOut: false,
      durationMs: performance.now() - began } });
    return;
  }
  const out = []; const err = [];
  let timedOut = false; let killTimer; let settled = false;
  const termTimer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) killGroup(child.pid, "SIGTERM");
    killTimer = setTimeout(() => { if (child.pid !== undefined) killGroup(child.pid, "SIGKILL"); }, KILL_GRACE_MS);
  }, job.timeoutMs);
  if (child.pid !== undefined) { live.add(child.pid); send({ id: job.id, type: "pid", pid: child.pid }); }
  child.stdout.on("data", (c) => out.push(c));
  child.stderr.on("data", (c) => err.push(c));
  feed(child, job.input);
  const finish = (exitCode, signal, spawnError) => {
    if (settled) return;
    settled = true;
    clearTimeout(termTimer); clearTimeout(killTimer);
    if (child.pid !== undefined) live.delete(child.pid);
    const stderr = Buffer.concat(err).toString("utf8");
    send({ id: job.id, type: "done", result: {
      stdout: Buffer.concat(out).toString("utf8"),
      stderr: spawnError && stderr === "" ? spawnError : stderr,
      exitCode, signal, timedOut, durationMs: performance.now() - began } });
  };
  child.on("error", (e) => finish(null, null, String(e && e.message || e)));
  child.on("close", (code, signal) => finish(code, signal, null));
}
`;
