import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";
import { orchard } from "../../helpers/orchard.js";
import { createTestDatabase, type TestDatabase } from "../../helpers/postgres.js";

/** Issue 25 item 1: `--store postgres://…` / ORCHARD_STORE_URL on every command, password never shown. */
const PASSWORD = "PlantedPw9f3a7c1e";

let db: TestDatabase;
let repo: TestRepo;
beforeAll(async () => {
  db = await createTestDatabase();
  repo = await makeRepo();
});
afterAll(async () => {
  await repo?.cleanup();
  await db?.drop();
});

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe("a PostgreSQL store chosen on the command line", () => {
  it("several processes starting at once migrate it once, under an advisory lock", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => orchard(["status", "--store", db.url()], { cwd: repo.dir })),
    );
    for (const r of results) expect(r.exitCode, r.all).toBe(0);
    const applied = await db.query<{ name: string }>("select name from orchard.kysely_migration");
    expect(applied.map((r) => r.name)).toEqual([...new Set(applied.map((r) => r.name))]);
    expect(applied.length).toBeGreaterThan(0);
  });

  it("runs a plan into it; status, logs and retry read it; the password reaches no output, child or file", async () => {
    await repo.write(
      "plan.md",
      "### Task 1: One\n**Files:**\n- Create: `out-1.txt`\n\nx\n\n### Task 2: Two\n**Files:**\n- Create: `out-2.txt`\n\nx\n",
    );
    await repo.git(["add", "plan.md"]);
    await repo.git(["commit", "-qm", "plan"]);
    // The agent writes its environment and argv into the task's file: the landed files show what children got.
    const agent = `sh -c "env > out-{task_id}.txt; echo argv: \\$0 \\$@ >> out-{task_id}.txt; echo working"`;
    const run = await orchard(["run", "plan.md", "--agent-command", agent], {
      cwd: repo.dir,
      env: { ORCHARD_STORE_URL: db.url(PASSWORD) },
    });
    expect(run.exitCode, run.all).toBe(0);

    const runs = await db.query<{ id: string; status: string }>("select id, status from orchard.runs");
    expect(runs).toHaveLength(1);
    const runId = runs[0]?.id as string;
    expect(runs[0]?.status).toBe("succeeded");
    // Not the embedded store: there is none in the repository.
    expect(filesUnder(join(repo.dir, ".git")).some((f) => f.endsWith("orchard.db"))).toBe(false);

    const url = db.url(PASSWORD);
    const outputs = [
      run.all ?? "",
      (await orchard(["status", "--store", url], { cwd: repo.dir })).all ?? "",
      (await orchard(["status", runId, "--json", "--store", url], { cwd: repo.dir })).all ?? "",
      (await orchard(["logs", runId, "1", "--store", url], { cwd: repo.dir })).all ?? "",
      (await orchard(["cancel", runId, "--store", url], { cwd: repo.dir })).all ?? "",
      (await orchard(["retry", runId, "1", "--store", url], { cwd: repo.dir })).all ?? "",
      (await orchard(["resume", runId, "--store", url], { cwd: repo.dir })).all ?? "",
    ];
    const status = await orchard(["status", "--json", "--store", url], { cwd: repo.dir });
    expect(JSON.parse(status.stdout).map((r: { id: string }) => r.id)).toEqual([runId]);
    // A bad store is refused with the URL shown redacted.
    const refused = await orchard(["status", "--store", `postgres://postgres:${PASSWORD}@127.0.0.1:1/nodb`], {
      cwd: repo.dir,
    });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.all).toContain("postgres://postgres:***@127.0.0.1:1/nodb");
    outputs.push(refused.all ?? "", status.all ?? "");
    for (const out of outputs) expect(out).not.toContain(PASSWORD);

    const branch = `orchard/${runId}/integration`;
    for (const task of ["1", "2"]) {
      const landed = await repo.git(["show", `${branch}:out-${task}.txt`]);
      expect(landed).toContain("argv:");
      expect(landed).not.toContain(PASSWORD);
      expect(landed).not.toContain("ORCHARD_STORE_URL");
    }
    for (const file of filesUnder(join(repo.dir, ".git"))) {
      expect(readFileSync(file).toString("latin1").includes(PASSWORD), file).toBe(false);
    }
    const stored = await db.query<{ dump: string }>(
      "select (select coalesce(string_agg(e::text, ''), '') from orchard.events e) || (select coalesce(string_agg(r::text, ''), '') from orchard.runs r) || (select coalesce(string_agg(a::text, ''), '') from orchard.attempts a) as dump",
    );
    expect(stored[0]?.dump.length).toBeGreaterThan(0);
    expect(stored[0]?.dump).not.toContain(PASSWORD);
  });
});
