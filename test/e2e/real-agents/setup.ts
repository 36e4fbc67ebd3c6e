/**
 * What the real-agent end-to-end tests share: the process environment the engine's agents inherit
 * (each CLI pointed at its scripted model server), plans whose tasks each create their own file, and
 * the attempt records with the wall time each real CLI took.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { openRepoStore } from "../../../src/engine/index.js";
import type { AttemptRecord, RunId } from "../../../src/store/types.js";
import { REAL_CLIS } from "../../integration/agent-clis/helpers.js";

export { REAL_CLIS, realCli, skipReason, versionOf } from "../../integration/agent-clis/helpers.js";

/**
 * Sets environment variables for this test file's process (vitest runs each file in its own process;
 * the engine's agents inherit process.env). Returns the undo.
 */
export function setEnv(vars: Record<string, string>): () => void {
  const before = new Map(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of before) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/** A scratch directory for a CLI's home; `root` lets Codex keep it out of /tmp, where its sandbox refuses. */
export async function scratchDir(root = tmpdir()): Promise<{ dir: string; cleanup(): Promise<void> }> {
  await mkdir(root, { recursive: true });
  const dir = await mkdtemp(path.join(root, ".home-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const codexScratch = () => scratchDir(REAL_CLIS);

/** Gemini CLI's settings: API-key auth, nothing sent home, and no retries of its own (the engine backs off). */
export async function writeGeminiSettings(home: string): Promise<void> {
  await mkdir(path.join(home, ".gemini"), { recursive: true });
  const settings = {
    security: { auth: { selectedType: "gemini-api-key" } },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    general: { maxAttempts: 1 },
  };
  await writeFile(path.join(home, ".gemini", "settings.json"), JSON.stringify(settings));
}

/**
 * Codex's `-c` overrides for a custom provider at `url`: the key comes from FAKE_KEY in the environment
 * (never argv), and Codex retries a request once at most.
 */
export const codexProviderArgs = (url: string) => [
  "-c",
  "model_provider=fake",
  "-c",
  `model_providers.fake={name="fake",base_url="${url}/v1",env_key="FAKE_KEY",wire_api="responses",request_max_retries=1,stream_max_retries=0}`,
];

/** A plan of one batch whose task `<id>` creates `f<id>.txt`; the batch's tasks may run at once. */
export function filesPlan(ids: string[]): string {
  const tasks = ids.map(
    (id) =>
      `### Task ${id}: File ${id}\n**Files:**\n- Create: \`${fileOf(id)}\`\n\nCreate \`${fileOf(id)}\`.\n`,
  );
  return `# Files\n\n## Batch 1: Files\n\n${tasks.join("\n")}`;
}

export const fileOf = (taskId: string) => `f${taskId}.txt`;

/** Every attempt of a run, from the repository's store. */
export async function attemptsOf(repo: string, runId: RunId): Promise<AttemptRecord[]> {
  const store = await openRepoStore(repo);
  try {
    return await store.listAttempts(runId);
  } finally {
    await store.close();
  }
}

/** Wall time per real-CLI attempt in the engine, printed once per file so the report can quote it. */
export const timings: string[] = [];
export function recordTimings(label: string, attempts: AttemptRecord[]): void {
  for (const a of attempts) {
    const wall = a.finishedAt === null ? "?" : `${a.finishedAt - a.startedAt}`;
    timings.push(
      `${label} task ${a.taskId} attempt ${a.attempt}: ${wall} ms in the engine, agent ${a.timings?.agentMs ?? "?"} ms (${a.status}${a.reason ? `: ${a.reason}` : ""})`,
    );
  }
}
