import { afterEach, beforeEach, expect } from "vitest";
import {
  createForgeClient,
  type ForgeClient,
  type ForgeClientOptions,
  fetchBranch,
  pushBranch,
} from "../../../src/forge/index.js";
import { Git } from "../../../src/git/index.js";
import { GitHubStandIn } from "../../fixtures/github/stand-in.js";
import { makeRepo, type TestRepo } from "../../helpers/git-repo.js";

/** A token that is unmistakable when grepped for. */
export const TOKEN = "ghp_orchardTestToken1234567890SECRETabcd";

export interface ForgeWorld {
  github: GitHubStandIn;
  repo: TestRepo;
  git: Git;
  client: ForgeClient;
  clientWith(opts: Partial<ForgeClientOptions>): ForgeClient;
  /** Commits `files` on a new branch off `from` in the local repository and pushes it; returns the commit. */
  branch(name: string, files: Record<string, string>, from?: string): Promise<string>;
}

/**
 * A stand-in GitHub with `main` pushed from a real local repository, and a client pointed at it. After
 * each test, every request and response must have matched GitHub's API description.
 */
export function useForgeWorld(): ForgeWorld {
  const world = {} as ForgeWorld;
  beforeEach(async () => {
    world.github = await new GitHubStandIn(TOKEN).start();
    world.repo = await makeRepo({ files: { "README.md": "# widgets\n", "src/a.txt": "a\n" } });
    world.git = new Git(world.repo.dir);
    await world.repo.git(["remote", "add", "origin", world.github.gitUrl]);
    await pushBranch(world.git, { remote: "origin", commit: world.repo.head, branch: "main", token: TOKEN });
    world.clientWith = (opts) =>
      createForgeClient({
        token: TOKEN,
        apiUrl: world.github.apiUrl,
        owner: world.github.owner,
        repo: world.github.repo,
        writeSpacingMs: 0,
        ...opts,
      });
    world.client = world.clientWith({});
    world.branch = async (name, files, from = "main") => {
      const base =
        from === "main"
          ? await fetchBranch(world.git, {
              remote: "origin",
              branch: "main",
              localRef: "refs/remotes/origin/main",
              token: TOKEN,
            })
          : from;
      await world.repo.git(["checkout", "-q", "-B", name, base]);
      for (const [path, content] of Object.entries(files)) await world.repo.write(path, content);
      const commit = await world.repo.commit(`change ${name}`);
      await world.repo.git(["checkout", "-q", "--detach", world.repo.head]);
      await pushBranch(world.git, { remote: "origin", commit, branch: name, token: TOKEN });
      return commit;
    };
  });
  afterEach(async () => {
    const violations = [...world.github.violations];
    await world.github.stop();
    await world.repo.cleanup();
    expect(violations, "requests or responses off GitHub's API description").toEqual([]);
  });
  return world;
}
