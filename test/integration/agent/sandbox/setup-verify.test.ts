/**
 * `--setup` and verification commands run in the sandbox too: a real `npm install` by `--setup` lands
 * `node_modules` in the slot, where it stays usable by the next tasks in that slot (installed once), and
 * neither kind of command can write outside the slot or read HOME's secrets.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeRepo, poolDirOf, snapshotCheckout } from "../../../helpers/git-repo.js";
import { runPlan } from "../../../helpers/orchard.js";
import { filesUnder, unavailable, useScratchHome, whereIs } from "./helpers.js";

const problem = await unavailable();
const scratch = useScratchHome();

describe.skipIf(problem)(
  `setup and verification in the sandbox${problem ? ` (skipped: ${problem})` : ""}`,
  () => {
    it("npm install by --setup stays usable across tasks; neither escapes its slot", async () => {
      const repo = await makeRepo({
        files: {
          ".gitignore": "node_modules/\n",
          "package.json": JSON.stringify({
            name: "demo",
            private: true,
            dependencies: { dep: "file:./vendor/dep" },
          }),
          "vendor/dep/package.json": JSON.stringify({ name: "dep", version: "1.0.0", main: "index.js" }),
          "vendor/dep/index.js": "module.exports = 42;\n",
        },
      });
      try {
        const before = await snapshotCheckout(repo.dir);
        const escapes = [
          `touch ${repo.dir}/escaped-$ORCHARD_TASK_ID`,
          `touch ${scratch.home}/escaped-$ORCHARD_TASK_ID`,
          `cat ${scratch.home}/.ssh/id_ed25519`,
        ];
        // Installs only when node_modules is missing, and counts the installs in the slot.
        const setup = [
          "if [ ! -d node_modules/dep ]; then npm install --offline --no-audit --no-fund --no-package-lock --loglevel=error && echo installed >> node_modules/.installs; fi",
          ...escapes.map((line) => `if ${line} 2>/dev/null; then echo ESCAPED; exit 1; fi`),
        ].join("\n");
        const tasks = ["1.1", "1.2", "1.3"].map(
          (id) =>
            `### Task ${id}: Use dep ${id}\n**Files:**\n- Create: \`f${id}.txt\`\n\n\`\`\`text\nf${id}\n\`\`\`\n\n` +
            "**Verification:**\n```bash\nnode -e \"process.exit(require('dep') === 42 ? 0 : 1)\"\n" +
            escapes.map((line) => `! ${line}`).join("\n") +
            "\n```\n",
        );
        const { result } = await runPlan(repo.dir, `# Dep\n\n## Batch 1: Dep\n\n${tasks.join("\n")}`, {
          mode: "sandbox",
          workers: 1,
          slots: 1,
          setup,
        });
        expect(result.tasks.map((t) => [t.taskId, t.status, t.reason ?? null])).toEqual([
          ["1.1", "landed", null],
          ["1.2", "landed", null],
          ["1.3", "landed", null],
        ]);
        const pool = poolDirOf(repo.dir);
        const installs = filesUnder(pool).filter((f) => f.endsWith("node_modules/.installs"));
        expect(installs).toHaveLength(1);
        expect(readFileSync(installs[0]!, "utf8")).toBe("installed\n");
        expect(await snapshotCheckout(repo.dir)).toEqual(before);
        for (const id of ["1.1", "1.2", "1.3"]) {
          expect(existsSync(join(repo.dir, `escaped-${id}`))).toBe(false);
          expect(existsSync(join(scratch.home, `escaped-${id}`))).toBe(false);
        }
        for (const secret of scratch.secrets) expect(whereIs(repo.dir, secret)).toEqual([]);
      } finally {
        await repo.cleanup();
      }
    });
  },
);
