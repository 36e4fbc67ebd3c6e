/**
 * The engine end to end with the real agent CLIs (Claude Code, Codex, Gemini CLI), each against its
 * scripted model server: plans run through startRun, agents edit pooled slots, results land on the
 * integration branch. A CLI's tests skip only when the CLI is not installed.
 */
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { start as startAnthropic } from "../fixtures/model-servers/anthropic-messages.js";
import { start as startGemini } from "../fixtures/model-servers/gemini.js";
import type { FakeModelServer } from "../fixtures/model-servers/http.js";
import { start as startOpenAi } from "../fixtures/model-servers/openai-responses.js";
import { makeRepo, type TestRepo } from "../helpers/git-repo.js";
import { landedTaskIds, orchard, runPlan, showFile } from "../helpers/orchard.js";
import {
  attemptsOf,
  codexProviderArgs,
  codexScratch,
  fileOf,
  filesPlan,
  realCli,
  recordTimings,
  scratchDir,
  setEnv,
  skipReason,
  timings,
  versionOf,
  writeGeminiSettings,
} from "./real-agents/setup.js";

const repos: TestRepo[] = [];
async function repo(): Promise<TestRepo> {
  const r = await makeRepo();
  repos.push(r);
  return r;
}
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});
afterAll(() => console.info(timings.join("\n")));

/** Generous limits: a stuck CLI fails its attempt rather than the test's timeout. */
const LIMITS = { timeoutS: 90, idleTimeoutS: 60 };

const claude = realCli("claude");
const codex = realCli("codex");
const gemini = realCli("gemini");

describe.skipIf(!claude)(
  `the engine with Claude Code${claude ? "" : ` (${skipReason("claude", "@anthropic-ai/claude-code")})`}`,
  () => {
    let server: FakeModelServer;
    let restoreEnv = () => {};
    let home: Awaited<ReturnType<typeof scratchDir>>;

    beforeAll(async () => {
      server = await startAnthropic();
      home = await scratchDir();
      timings.push(`claude ${versionOf(claude!)}`);
      // The key is the script (no secret); the CLI must not retry on its own: the engine backs off.
      restoreEnv = setEnv({
        ORCHARD_CLAUDE_BIN: claude!,
        ANTHROPIC_BASE_URL: server.url,
        CLAUDE_CONFIG_DIR: path.join(home.dir, "claude"),
        CLAUDE_CODE_MAX_RETRIES: "0",
      });
    });
    afterAll(async () => {
      restoreEnv();
      await server?.close();
      await home?.cleanup();
    });
    const useKey = (key: string) => {
      process.env.ANTHROPIC_API_KEY = key;
    };
    afterEach(() => {
      delete process.env.ANTHROPIC_API_KEY;
    });

    it("runs three tasks on three workers at once and lands all three; usage reaches the record and status --json", async () => {
      const r = await repo();
      useKey("usage:1000:100|write:f{task}.txt:made by task {task}%0A|text:Done.");
      const ids = ["1.1", "1.2", "1.3"];
      const { result } = await runPlan(r.dir, filesPlan(ids), {
        agent: "claude",
        model: "claude-sonnet-4-5",
        workers: 3,
        maxAttempts: 1,
        ...LIMITS,
      });
      const attempts = await attemptsOf(r.dir, result.runId);
      recordTimings("claude 3 workers", attempts);
      timings.push(`claude 3 workers: the whole run took ${result.durationMs} ms`);
      expect(result.reason).toBeNull();
      expect(result.status).toBe("succeeded");
      expect((await landedTaskIds(r.dir, result.integrationBranch)).sort()).toEqual(ids);
      for (const id of ids) {
        expect(await showFile(r.dir, result.integrationBranch, fileOf(id))).toBe(`made by task ${id}\n`);
      }
      const changed = await r.git(["diff", "--name-only", r.head, result.integrationBranch]);
      expect(changed.trim().split("\n").sort()).toEqual(ids.map(fileOf));

      // Three slots at once: every attempt started before any finished.
      expect(attempts).toHaveLength(3);
      const lastStart = Math.max(...attempts.map((a) => a.startedAt));
      const firstFinish = Math.min(...attempts.map((a) => a.finishedAt ?? Number.POSITIVE_INFINITY));
      expect(lastStart).toBeLessThan(firstFinish);
      expect(new Set(attempts.map((a) => a.slotId)).size).toBe(3);

      // Claude Code prices what the server reported: 2 turns of 1000 in / 100 out at Sonnet 4.5's $3 / $15.
      for (const a of attempts) {
        expect(a.status).toBe("succeeded");
        expect(a.usage?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
        expect(a.usage).toMatchObject({ turns: 2, inputTokens: 2000, outputTokens: 200 });
        expect(a.usage?.costUsd).toBeCloseTo(2000 * 3e-6 + 200 * 15e-6, 6);
      }

      const status = await orchard(["status", result.runId, "--json"], { cwd: r.dir });
      expect(status.exitCode, status.all).toBe(0);
      const view = JSON.parse(status.stdout) as {
        status: string;
        costUsd: number;
        tasks: Array<{ taskId: string; status: string; attempts: Array<{ usage: unknown }> }>;
      };
      expect(view.status).toBe("succeeded");
      expect(view.costUsd).toBeCloseTo(3 * (2000 * 3e-6 + 200 * 15e-6), 6);
      for (const t of view.tasks) {
        const recorded = attempts.find((a) => a.taskId === t.taskId);
        expect(t.status).toBe("landed");
        expect(t.attempts.map((a) => a.usage)).toEqual([recorded?.usage]);
      }
    });

    it("fails the attempt on a scripted API error, with the CLI's message as the task's reason", async () => {
      const r = await repo();
      useKey("error:400:scripted invalid request: temperature is not allowed");
      const { result, events } = await runPlan(r.dir, filesPlan(["1.1"]), {
        agent: "claude",
        maxAttempts: 1,
        ...LIMITS,
      });
      recordTimings("claude api error", await attemptsOf(r.dir, result.runId));
      expect(result.status).toBe("failed");
      const task = result.tasks[0];
      expect(task?.status).toBe("failed");
      expect(task?.reason).toContain("scripted invalid request: temperature is not allowed");
      const failed = events.find((e) => e.type === "task:attempt-failed");
      expect(failed).toMatchObject({ rateLimited: false, willRetry: false });
      expect(await landedTaskIds(r.dir, result.integrationBranch)).toEqual([]);
    });

    it("backs a scripted rate limit off and retries it as a free attempt; the task lands", async () => {
      const r = await repo();
      useKey("once:rate-limit:1|write:f{task}.txt:after the back-off%0A|text:Done.");
      const { result, events } = await runPlan(r.dir, filesPlan(["1.1"]), {
        agent: "claude",
        maxAttempts: 1,
        rateLimitBackoffS: 1,
        ...LIMITS,
      });
      const attempts = await attemptsOf(r.dir, result.runId);
      recordTimings("claude rate limit", attempts);
      expect(result.reason).toBeNull();
      expect(result.status).toBe("succeeded");
      const failed = events.filter((e) => e.type === "task:attempt-failed");
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ attempt: 1, rateLimited: true, willRetry: true });
      expect(failed[0]?.type === "task:attempt-failed" && failed[0].reason).toMatch(/429/);
      expect(result.tasks[0]).toMatchObject({ status: "landed", attempt: 2 });
      expect(attempts.map((a) => a.status)).toEqual(["failed", "succeeded"]);
      // The retry waited for the server's retry-after (1 s) before it was claimed again: a lower bound
      // that load can only widen; the slack is the back-off starting a moment before the record's write.
      expect(attempts[1]!.startedAt - attempts[0]!.finishedAt!).toBeGreaterThanOrEqual(500);
      expect(await showFile(r.dir, result.integrationBranch, fileOf("1.1"))).toBe("after the back-off\n");
    });

    it("stops starting attempts once the run's spend limit is reached", async () => {
      const r = await repo();
      // Each attempt: 2 turns of 100k in / 10k out at $3 / $15 per million = $0.90; the limit is $1.20.
      useKey("usage:100000:10000|write:f{task}.txt:x%0A|text:Done.");
      const perAttempt = 2 * (100_000 * 3e-6 + 10_000 * 15e-6);
      const { result, events } = await runPlan(r.dir, filesPlan(["1.1", "1.2", "1.3"]), {
        agent: "claude",
        model: "claude-sonnet-4-5",
        workers: 1,
        maxAttempts: 1,
        maxCostUsd: 1.2,
        ...LIMITS,
      });
      const attempts = await attemptsOf(r.dir, result.runId);
      recordTimings("claude spend limit", attempts);
      expect(result.status).toBe("interrupted");
      expect(result.reason).toMatch(/spend limit/);
      expect(attempts).toHaveLength(2);
      for (const a of attempts) expect(a.usage?.costUsd).toBeCloseTo(perAttempt, 6);
      const limit = events.find((e) => e.type === "spend:limit-reached");
      expect(limit).toMatchObject({ limitUsd: 1.2 });
      expect(limit?.type === "spend:limit-reached" && limit.spentUsd).toBeCloseTo(2 * perAttempt, 6);
      expect(result.tasks.filter((t) => t.status === "landed")).toHaveLength(2);
      const never = result.tasks.filter((t) => t.attempt === 0);
      expect(never).toHaveLength(1);
      expect(never[0]?.status).toMatch(/^(pending|queued)$/);
      expect(events.some((e) => e.type === "task:started" && e.taskId === never[0]?.taskId)).toBe(false);
    });
  },
);

describe.skipIf(!codex)(
  `the engine with Codex${codex ? "" : ` (${skipReason("codex", "@openai/codex")})`}`,
  () => {
    let server: FakeModelServer;
    let restoreEnv = () => {};
    let home: Awaited<ReturnType<typeof scratchDir>>;

    beforeAll(async () => {
      server = await startOpenAi();
      // Codex's sandbox refuses a CODEX_HOME under /tmp, and its helpers a CODEX_HOME under TMPDIR.
      home = await codexScratch();
      timings.push(`codex ${versionOf(codex!)}`);
      restoreEnv = setEnv({
        ORCHARD_CODEX_BIN: codex!,
        CODEX_HOME: home.dir,
        FAKE_KEY: "usage:700:50|write:f{task}.txt:written by codex%0A|text:Done.",
      });
    });
    afterAll(async () => {
      restoreEnv();
      await server?.close();
      await home?.cleanup();
    });

    it("runs a task with apply_patch and lands it; thread id, turns and tokens are recorded", async () => {
      const r = await repo();
      const { result } = await runPlan(r.dir, filesPlan(["1.1"]), {
        agent: "codex",
        // A slug Codex knows, so it offers its apply_patch tool.
        model: "gpt-5.5",
        agentArgs: codexProviderArgs(server.url),
        maxAttempts: 1,
        ...LIMITS,
      });
      const attempts = await attemptsOf(r.dir, result.runId);
      recordTimings("codex", attempts);
      expect(result.reason).toBeNull();
      expect(result.status).toBe("succeeded");
      expect(await landedTaskIds(r.dir, result.integrationBranch)).toEqual(["1.1"]);
      expect(await showFile(r.dir, result.integrationBranch, fileOf("1.1"))).toBe("written by codex\n");
      expect(attempts[0]?.usage?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      // Codex sums its two requests' usage into one turn; it reports no cost.
      expect(attempts[0]?.usage).toMatchObject({ turns: 1, inputTokens: 1400, outputTokens: 100 });
    });
  },
);

describe.skipIf(!gemini)(
  `the engine with Gemini CLI${gemini ? "" : ` (${skipReason("gemini", "@google/gemini-cli")})`}`,
  () => {
    let server: FakeModelServer;
    let restoreEnv = () => {};
    let home: Awaited<ReturnType<typeof scratchDir>>;

    beforeAll(async () => {
      server = await startGemini();
      home = await scratchDir();
      await writeGeminiSettings(home.dir);
      timings.push(`gemini ${versionOf(gemini!)}`);
      restoreEnv = setEnv({
        ORCHARD_GEMINI_BIN: gemini!,
        GEMINI_CLI_HOME: home.dir,
        GOOGLE_GEMINI_BASE_URL: server.url,
        GEMINI_API_KEY: "usage:900:30|write:f{task}.txt:written by gemini%0A|text:Done.",
      });
    });
    afterAll(async () => {
      restoreEnv();
      await server?.close();
      await home?.cleanup();
    });

    it("runs a task with write_file and lands it; session, turns and tokens are recorded", async () => {
      const r = await repo();
      const { result } = await runPlan(r.dir, filesPlan(["1.1"]), {
        agent: "gemini",
        // Naming the model skips Gemini's routing call.
        model: "gemini-2.5-pro",
        maxAttempts: 1,
        ...LIMITS,
      });
      const attempts = await attemptsOf(r.dir, result.runId);
      recordTimings("gemini", attempts);
      expect(result.reason).toBeNull();
      expect(result.status).toBe("succeeded");
      expect(await landedTaskIds(r.dir, result.integrationBranch)).toEqual(["1.1"]);
      expect(await showFile(r.dir, result.integrationBranch, fileOf("1.1"))).toBe("written by gemini\n");
      expect(attempts[0]?.usage?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(attempts[0]?.usage).toMatchObject({
        model: "gemini-2.5-pro",
        turns: 2,
        inputTokens: 1800,
        outputTokens: 60,
      });
    });
  },
);
