/**
 * Not a test: prints slot readiness medians on generated repositories of ~200 and ~5,000 files.
 * Run with `npx tsx test/integration/git/measure-slots.ts [iterations]`.
 */
import { measureSlotReady } from "../../../src/git/index.js";
import { makeRepo } from "../../helpers/git-repo.js";

const iterations = Number(process.argv[2] ?? 30);
for (const files of [200, 5_000]) {
  const repo = await makeRepo({ generatedFiles: files });
  try {
    const result = await measureSlotReady({ repoDir: repo.dir, iterations });
    console.log(
      `${files} files: warm hand-off p50 ${result.warmHandoffP50Ms.toFixed(1)} ms, ` +
        `fresh worktree add+remove p50 ${result.freshWorktreeP50Ms.toFixed(1)} ms (${iterations} iterations)`,
    );
  } finally {
    await repo.cleanup();
  }
}
