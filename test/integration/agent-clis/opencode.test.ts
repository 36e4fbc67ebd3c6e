import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { opencodePreset } from "../../../src/agent/index.js";
import { start } from "../../fixtures/model-servers/anthropic-messages.js";
import { realCli, runIn, skipReason, timed, useCliSuite } from "./helpers.js";

const cli = realCli("opencode");

describe.skipIf(!cli)(
  `OpenCode, the real CLI, against a scripted Messages API${cli ? "" : ` (${skipReason("opencode", "opencode-ai")})`}`,
  () => {
    const suite = useCliSuite({
      name: "opencode",
      cli: cli!,
      start,
    });

    // OpenCode's Anthropic provider pointed at the fake; the key is read from the environment by name.
    const run = (key: string) => {
      const config = {
        autoupdate: false,
        share: "disabled",
        provider: {
          anthropic: { options: { baseURL: `${suite.server.url}/v1`, apiKey: "{env:FAKE_ANTHROPIC_KEY}" } },
        },
      };
      const home = suite.sb.scratch;
      return runIn(
        suite.sb,
        opencodePreset(),
        {
          FAKE_ANTHROPIC_KEY: key,
          OPENCODE_CONFIG_CONTENT: JSON.stringify(config),
          // Its bundled model list is enough; do not fetch a fresh one.
          OPENCODE_DISABLE_MODELS_FETCH: "1",
          HOME: home,
          XDG_CONFIG_HOME: path.join(home, ".config"),
          XDG_DATA_HOME: path.join(home, ".local/share"),
          XDG_CACHE_HOME: path.join(home, ".cache"),
          XDG_STATE_HOME: path.join(home, ".local/state"),
        },
        { model: "anthropic/claude-sonnet-4-5" },
      );
    };

    it("writes a file; session, turns, tokens and cost are read", async () => {
      const r = await run("usage:1000:100|write:hello.txt:hello from opencode%0A|text:Done.");
      timed("opencode write", r);
      expect(r.reason).toBeNull();
      expect(r.ok).toBe(true);
      expect(await readFile(path.join(suite.sb.repo, "hello.txt"), "utf8")).toBe("hello from opencode\n");
      expect(r.report.usage).toMatchObject({ turns: 2, inputTokens: 2000, outputTokens: 200 });
      expect(r.report.usage.sessionId).toMatch(/^ses_/);
      expect(r.report.usage.costUsd).toBeCloseTo(2000 * 3e-6 + 200 * 15e-6, 6);
    });

    it("fails the attempt with the API's message on a scripted 400", async () => {
      const r = await run("error:400:scripted bad field");
      timed("opencode api error", r);
      expect(r.ok).toBe(false);
      expect(r.report).toMatchObject({ status: "error", error: "scripted bad field (HTTP 400)" });
    });

    it("reports a 429 as rate-limited with the server's retry-after", async () => {
      const r = await run("rate-limit:1");
      timed("opencode 429", r);
      expect(r.ok).toBe(false);
      expect(r.report).toMatchObject({ status: "error", rateLimited: true, retryAfterMs: 1000 });
    });
  },
);
