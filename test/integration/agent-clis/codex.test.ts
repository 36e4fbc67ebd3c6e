import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { codexPreset } from "../../../src/agent/index.js";
import { start } from "../../fixtures/model-servers/openai-responses.js";
import { REAL_CLIS, realCli, runIn, skipReason, timed, useCliSuite } from "./helpers.js";

const cli = realCli("codex");

describe.skipIf(!cli)(
  `Codex, the real CLI, against a scripted Responses API${cli ? "" : ` (${skipReason("codex", "@openai/codex")})`}`,
  () => {
    const suite = useCliSuite({
      name: "codex",
      cli: cli!,
      start,
      // Codex's sandbox refuses a CODEX_HOME under /tmp: keep it beside the CLIs (git-ignored).
      scratchRoot: REAL_CLIS,
    });

    // A custom provider: the key comes from FAKE_KEY in the environment, never argv. Codex retries on its
    // own first; once is enough here.
    const preset = () =>
      codexPreset({
        config: [
          "model_provider=fake",
          `model_providers.fake={name="fake",base_url="${suite.server.url}/v1",env_key="FAKE_KEY",wire_api="responses",request_max_retries=1,stream_max_retries=0}`,
        ],
      });
    // gpt-5.5 is a slug Codex knows, so it offers its apply_patch tool.
    // TMPDIR stays /tmp: Codex will not put its helper binaries in a CODEX_HOME under TMPDIR.
    const run = (key: string) =>
      runIn(
        suite.sb,
        preset(),
        { FAKE_KEY: key, CODEX_HOME: suite.sb.scratch, TMPDIR: tmpdir() },
        { model: "gpt-5.5" },
      );

    it("writes a file with apply_patch; thread id, turns and tokens are read (Codex reports no cost)", async () => {
      const r = await run(
        "usage:700:50|write:docs/hello.md:# Hello%0A%0Afrom codex|text:Created docs/hello.md.",
      );
      timed("codex write", r);
      expect(r.reason).toBeNull();
      expect(r.ok).toBe(true);
      expect(await readFile(path.join(suite.sb.repo, "docs/hello.md"), "utf8")).toBe(
        "# Hello\n\nfrom codex\n",
      );
      expect(r.report.status).toBe("ok");
      expect(r.report.usage).toMatchObject({ turns: 1, inputTokens: 1400, outputTokens: 100 });
      expect(r.report.usage.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.report.usage.costUsd).toBeUndefined();
      const posts = suite.server.requests.filter((q) => q.method === "POST");
      expect(posts.map((q) => q.answer)).toEqual(["write docs/hello.md", 'text "Created docs/hello.md."']);
      expect(posts.every((q) => q.path === "/v1/responses")).toBe(true);
    });

    it("fails the attempt with the API's message on a scripted 400", async () => {
      const r = await run("error:400:scripted unsupported parameter");
      timed("codex api error", r);
      expect(r.ok).toBe(false);
      expect(r.report).toMatchObject({ status: "error", error: "scripted unsupported parameter" });
      expect(r.report.rateLimited).toBeUndefined();
    });

    it("reports a 429 as rate-limited", async () => {
      const r = await run("rate-limit:1");
      timed("codex 429", r);
      expect(r.ok).toBe(false);
      expect(r.report).toMatchObject({ status: "error", rateLimited: true });
      expect(r.report.error).toContain("429");
    });
  },
);
