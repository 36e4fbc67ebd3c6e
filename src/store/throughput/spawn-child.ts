import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { StoreLocation } from "../open.js";
import type { DrainCounts } from "./loop.js";

/** From src/ (under tsx) the child is a .ts file and needs the tsx loader; from dist/ it is plain .js. */
function childArgv(): string[] {
  const fromSource = import.meta.url.endsWith(".ts");
  const child = fileURLToPath(new URL(fromSource ? "./child.ts" : "./child.js", import.meta.url));
  return fromSource ? ["--import", "tsx", child] : [child];
}

export interface MeasuringChild {
  ready: Promise<void>;
  go(): void;
  done: Promise<DrainCounts>;
  kill(): void;
}

export function spawnMeasuringChild(
  location: StoreLocation,
  runId: string,
  workers: number,
  timeoutMs: number,
): MeasuringChild {
  const child: ChildProcess = spawn(
    process.execPath,
    [...childArgv(), JSON.stringify(location), runId, String(workers)],
    { stdio: ["pipe", "pipe", "pipe"], timeout: timeoutMs, killSignal: "SIGKILL" },
  );
  let out = "";
  let err = "";
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk;
    if (out.startsWith("ready\n")) markReady();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk;
  });
  const done = new Promise<DrainCounts>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code === 0 && last.startsWith("{")) resolve(JSON.parse(last) as DrainCounts);
      else reject(new Error(`store throughput child exited ${code ?? signal}: ${err.slice(-2000)}`));
    });
  });
  // Observed through `ready` or by the caller; never left as an unhandled rejection when a sibling failed first.
  done.catch(() => undefined);
  return {
    ready: Promise.race([ready, done.then(() => undefined)]),
    go: () => child.stdin?.write("go\n"),
    done,
    kill: () => child.kill("SIGKILL"),
  };
}
