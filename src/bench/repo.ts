import { existsSync } from "node:fs";
import { mkdir, mkdtemp, realpath, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Git } from "../git/index.js";
import type { RepoSize } from "./scenarios.js";

/** Files per generated repository: small is a toy project, medium a mid-sized monorepo package. */
export const REPO_FILES: Record<RepoSize, number> = { small: 200, medium: 5000 };

/** Bump when the generated content changes, so stale caches are not reused. */
const GENERATION = 1;
const IDENTITY = {
  GIT_AUTHOR_NAME: "Orchard Bench",
  GIT_AUTHOR_EMAIL: "bench@localhost",
  GIT_COMMITTER_NAME: "Orchard Bench",
  GIT_COMMITTER_EMAIL: "bench@localhost",
};

export function repoCacheDir(): string {
  return join(tmpdir(), "orchard-bench-repos");
}

/**
 * A generated repository of `size`, cached under the OS temp dir so repetitions and later runs reuse
 * it. Never handed to the engine directly: see `benchClone`.
 */
export async function generatedRepo(size: RepoSize): Promise<string> {
  const dir = join(repoCacheDir(), `${size}-${REPO_FILES[size]}-g${GENERATION}`);
  if (existsSync(join(dir, ".git", "orchard-bench-complete"))) return dir;
  await mkdir(repoCacheDir(), { recursive: true });
  // Built to the side and renamed into place, so a crash mid-generation never leaves a half repo cached.
  const building = await mkdtemp(join(repoCacheDir(), `${size}-building-`));
  await writeTree(building, REPO_FILES[size]);
  const git = new Git(building);
  await git.run(["init", "-q", "-b", "main"]);
  await git.run(["config", "gc.auto", "0"]);
  await git.run(["add", "-A"]);
  await git.run(["commit", "-q", "-m", `Generated ${size} repository (${REPO_FILES[size]} files)`], {
    env: IDENTITY,
  });
  await writeFile(join(building, ".git", "orchard-bench-complete"), "");
  await rm(dir, { recursive: true, force: true });
  await rename(building, dir);
  return dir;
}

/**
 * A private clone for one benchmark invocation: runs create branches, worktrees and a store inside the
 * repository they run on, and neither the cache nor a user's `--repo` should collect them. `--local`
 * hard-links the objects, so even the medium repository clones in well under a second.
 */
export async function benchClone(
  source: string,
  label: string,
): Promise<{ dir: string; remove(): Promise<void> }> {
  const parent = await realpath(await mkdtemp(join(tmpdir(), `orchard-bench-${label}-`)));
  const dir = join(parent, "repo");
  await new Git(parent).run(["clone", "-q", "--local", source, dir]);
  const git = new Git(dir);
  await git.run(["config", "gc.auto", "0"]);
  await git.run(["config", "user.name", IDENTITY.GIT_AUTHOR_NAME]);
  await git.run(["config", "user.email", IDENTITY.GIT_AUTHOR_EMAIL]);
  return { dir, remove: () => rm(parent, { recursive: true, force: true }) };
}

/** `count` text files spread over directories of 100, with enough content for git to hash and diff. */
async function writeTree(root: string, count: number): Promise<void> {
  const files: Array<[string, string]> = [["README.md", "# Generated benchmark repository\n"]];
  for (let i = 1; i < count; i++) {
    const dir = `src/m${String(Math.floor(i / 100)).padStart(3, "0")}`;
    files.push([`${dir}/f${String(i).padStart(5, "0")}.ts`, fileBody(i)]);
  }
  const dirs = new Set(files.map(([p]) => p.slice(0, p.lastIndexOf("/"))).filter((d) => d !== ""));
  for (const d of dirs) await mkdir(join(root, d), { recursive: true });
  for (let i = 0; i < files.length; i += 256) {
    await Promise.all(files.slice(i, i + 256).map(([p, body]) => writeFile(join(root, p), body)));
  }
}

function fileBody(i: number): string {
  const lines = [`// generated module ${i}`];
  for (let j = 0; j < 20 + (i % 30); j++)
    lines.push(`export const v${j} = ${(i * 7919 + j * 104729) % 1000003};`);
  return `${lines.join("\n")}\n`;
}
