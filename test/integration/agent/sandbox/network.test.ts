/**
 * `--mode sandbox`'s network: an agent reaches a local server on the allow list (`--allow-host`), directly
 * and through the sandbox's proxy, and is refused a local server that is not on it, and any other host.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRepoStore } from "../../../../src/engine/index.js";
import { makeRepo } from "../../../helpers/git-repo.js";
import { AGENT_FIXTURES, runPlan, showFile } from "../../../helpers/orchard.js";
import { unavailable, useScratchHome } from "./helpers.js";

const problem = await unavailable();
useScratchHome();

/** A local HTTP server that counts the requests it answered. */
async function counting(body: string): Promise<{ port: number; hits: () => number; server: Server }> {
  let hits = 0;
  const server = createServer((_req, res) => {
    hits++;
    res.end(`${body}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, hits: () => hits, server };
}

describe.skipIf(problem)(`the sandbox's network${problem ? ` (skipped: ${problem})` : ""}`, () => {
  let allowed: Awaited<ReturnType<typeof counting>>;
  let denied: Awaited<ReturnType<typeof counting>>;
  beforeAll(async () => {
    allowed = await counting("reached the allowed server");
    denied = await counting("reached the denied server");
  });
  afterAll(() => {
    allowed.server.close();
    denied.server.close();
  });

  it("reaches an allowed host and is refused one that is not allowed, directly and through the proxy", async () => {
    const repo = await makeRepo();
    try {
      const plan =
        "## Batch 1: Net\n\n### Task 1.1: Net\n**Files:**\n- Create: `net-1.1.txt`\n\nTry the network.\n";
      const { result } = await runPlan(repo.dir, plan, {
        mode: "sandbox",
        allowHosts: [`127.0.0.1:${allowed.port}`],
        agent: "command",
        agentCommand: `node ${join(AGENT_FIXTURES, "net.mjs")} ${allowed.port} ${denied.port}`,
      });
      expect(result.status).toBe("succeeded");
      const report = (await showFile(repo.dir, result.integrationBranch, "net-1.1.txt")) ?? "";
      expect(report).toContain("direct allowed: 200 reached the allowed server");
      expect(report).toContain("direct denied: error ECONNREFUSED");
      expect(report).toContain("proxy allowed: 200 reached the allowed server");
      expect(report).toMatch(/proxy denied: 403 Orchard's sandbox refused 127\.0\.0\.1:\d+/);
      expect(report).toContain("proxy connect example.com: 403");
      expect(denied.hits()).toBe(0);
      expect(allowed.hits()).toBe(2);
    } finally {
      await repo.cleanup();
    }
  });
});

describe("--allow-host, checked before a run is recorded", () => {
  it.each([
    [{ mode: "sandbox" as const, allowHosts: ["http://example.com"] }, /write host, host:port or \*\.domain/],
    [{ mode: "sandbox" as const, allowHosts: ["localhost"] }, /a loopback host needs its port/],
    [
      { mode: "parallel" as const, allowHosts: ["example.com"] },
      /--allow-host applies to --mode sandbox only/,
    ],
  ])("%o is refused as a usage error", async (options, message) => {
    const repo = await makeRepo();
    try {
      const plan = "## Batch 1: A\n\n### Task 1.1: A\n**Files:**\n- Create: `a.txt`\n\nA.\n";
      await expect(runPlan(repo.dir, plan, options)).rejects.toMatchObject({ code: "USAGE", message });
      const store = await openRepoStore(repo.dir);
      try {
        expect(await store.listRuns()).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      await repo.cleanup();
    }
  });
});
