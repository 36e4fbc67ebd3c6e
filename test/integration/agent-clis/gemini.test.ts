import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { geminiPreset } from "../../../src/agent/index.js";
import { start } from "../../fixtures/model-servers/gemini.js";
import { realCli, runIn, skipReason, timed, useCliSuite } from "./helpers.js";

const cli = realCli("gemini");

describe.skipIf(!cli)(
  `Gemini CLI, the real CLI, against a scripted Gemini API${cli ? "" : ` (${skipReason("gemini", "@google/gemini-cli")})`}`,
  () => {
    const suite = useCliSuite({
      name: "gemini",
      cli: cli!,
      start,
      prepare: async (sb) => {
        // API-key auth, nothing sent home, and one attempt per request: Gemini's own backoff would
        // otherwise wait minutes on a 429 before the engine could.
        await mkdir(path.join(sb.scratch, ".gemini"), { recursive: true });
        const settings = {
          security: { auth: { selectedType: "gemini-api-key" } },
          privacy: { usageStatisticsEnabled: false },
          telemetry: { enabled: false },
          general: { maxAttempts: 1 },
        };
        await writeFile(path.join(sb.scratch, ".gemini", "settings.json"), JSON.stringify(settings));
      },
    });

    const run = (key: string) =>
      runIn(
        suite.sb,
        geminiPreset(),
        { GOOGLE_GEMINI_BASE_URL: suite.server.url, GEMINI_API_KEY: key, GEMINI_CLI_HOME: suite.sb.scratch },
        // Naming the model skips Gemini's routing call.
        { model: "gemini-2.5-pro" },
      );

    it("writes a file with write_file; session, turns and tokens are read (Gemini reports no cost)", async () => {
      const r = await run("usage:900:30|write:notes/todo.txt:- ship it%0A|text:Wrote notes/todo.txt.");
      timed("gemini write", r);
      expect(r.reason).toBeNull();
      expect(r.ok).toBe(true);
      expect(await readFile(path.join(suite.sb.repo, "notes/todo.txt"), "utf8")).toBe("- ship it\n");
      expect(r.report.status).toBe("ok");
      expect(r.report.usage).toMatchObject({
        model: "gemini-2.5-pro",
        turns: 2,
        inputTokens: 1800,
        outputTokens: 60,
      });
      expect(r.report.usage.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      const answers = suite.server.requests
        .filter((q) => q.path.includes(":streamGenerateContent"))
        .map((q) => q.answer);
      expect(answers).toEqual(["write notes/todo.txt", 'text "Wrote notes/todo.txt."']);
    });

    it("fails the attempt with the API's message on a scripted 400", async () => {
      const r = await run("error:400:scripted bad field");
      timed("gemini api error", r);
      expect(r.ok).toBe(false);
      expect(r.report).toMatchObject({ status: "error", error: "API Error: scripted bad field" });
      expect(r.report.rateLimited).toBeUndefined();
    });

    it("reports a 429 as rate-limited with the server's suggested delay", async () => {
      const r = await run("rate-limit:4");
      timed("gemini 429", r);
      expect(r.ok).toBe(false);
      expect(r.report).toMatchObject({ status: "error", rateLimited: true, retryAfterMs: 4000 });
    });

    it("reports an overloaded model as rate-limited", async () => {
      const r = await run("overloaded");
      timed("gemini 503", r);
      expect(r.ok).toBe(false);
      expect(r.report).toMatchObject({ status: "error", rateLimited: true });
    });
  },
);
