import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { REPO_ROOT } from "../../helpers/orchard.js";
import { cli } from "./helpers.js";

const repos: TestRepo[] = [];
afterEach(async () => {
  for (const r of repos.splice(0)) await r.cleanup();
});

// Claude Code's real stream-json output of one task (a Write, then its answer), captured against the
// scripted model server.
const CAPTURE = join(REPO_ROOT, "test/fixtures/model-servers/captures/claude-write-file.jsonl");

describe("orchard logs renders Claude Code's stream-json (issue 21 item 5)", () => {
  it("shows the assistant's text, one line per tool call and the result; --raw the JSON", async () => {
    const repo = await makeRepo();
    repos.push(repo);
    await repo.write("plan.md", "### Task 1: One\n**Files:**\n- Create: `out-1.txt`\n\nx\n");
    const agent = `sh -c "cat '${CAPTURE}'; echo done > out-$ORCHARD_TASK_ID.txt"`;
    const run = await cli(repo.dir, ["run", "plan.md", "--agent-command", agent, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const runId = (JSON.parse(run.stdout) as { runId: string }).runId;

    const shown = await cli(repo.dir, ["logs", runId, "1"]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(
      /^· session bd2a241e\S* · model claude-opus-4-8\S* · acceptEdits permissions$/m,
    );
    expect(shown.stdout).toMatch(/^→ Write \/tmp\/cc1\/repo\/hello\.txt$/m);
    expect(shown.stdout).toMatch(/^Wrote hello\.txt\.$/m);
    expect(shown.stdout).toMatch(/^= success: 2 turns, 140 ms, \$0\.0160$/m);
    expect(shown.stdout).not.toContain('{"type"');

    const raw = await cli(repo.dir, ["logs", runId, "1", "--raw"]);
    expect(raw.stdout).toContain('{"type":"system","subtype":"init"');
    expect(raw.stdout).not.toMatch(/^→ Write/m);
  });
});
