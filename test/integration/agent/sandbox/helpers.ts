/**
 * What the sandbox's tests share: scratch space outside /tmp (the sandbox gives every command a private
 * /tmp, which would hide a checkout or HOME there whatever the rest of the policy said), a HOME with
 * secrets planted in it, and a search for a secret through everything a run leaves behind.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { sandboxSupport } from "../../../../src/agent/index.js";

export const SCRATCH_ROOT = "/var/tmp";

/**
 * Points TMPDIR (so makeRepo's checkouts and the run's slots live outside /tmp) and HOME (with a planted
 * SSH key, AWS credentials and a project's .env) at fresh directories for this test file.
 */
export function useScratchHome(): { home: string; secrets: string[] } {
  const state = { home: "", secrets: [] as string[] };
  const before = { HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };
  let root = "";
  beforeAll(() => {
    root = mkdtempSync(join(SCRATCH_ROOT, "orchard-sandbox-test-"));
    const home = join(root, "home");
    const tmp = join(root, "tmp");
    mkdirSync(tmp, { recursive: true });
    const secret = (name: string) => `${name}-${Math.random().toString(36).slice(2)}-do-not-leak`;
    state.secrets = [secret("ssh"), secret("aws"), secret("dotenv")];
    const plant = (rel: string, content: string) => {
      mkdirSync(join(home, rel, ".."), { recursive: true });
      writeFileSync(join(home, rel), `${content}\n`);
    };
    plant(".ssh/id_ed25519", state.secrets[0]!);
    plant(".aws/credentials", state.secrets[1]!);
    plant("project/.env", state.secrets[2]!);
    state.home = home;
    process.env.HOME = home;
    process.env.TMPDIR = tmp;
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(root, { recursive: true, force: true });
  });
  return state;
}

/** Why the sandbox cannot run here, or null: the suites skip only then, saying so. */
export const unavailable = async (): Promise<string | null> => (await sandboxSupport()).problem;

/** Every file below `dir` (not following symbolic links). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) out.push(...filesUnder(path));
    else if (st.isFile()) out.push(path);
  }
  return out;
}

/**
 * The places of `repo` that hold `needle`: any file below it (logs, prompts, the store's database and
 * its WAL, slots) and any git object, decompressed (commits, trees, blobs).
 */
export function whereIs(repo: string, needle: string): string[] {
  const found = filesUnder(repo).filter((f) => readFileSync(f).includes(needle));
  const objects = execFileSync("git", ["cat-file", "--batch-all-objects", "--batch"], {
    cwd: repo,
    maxBuffer: 256 << 20,
  });
  if (objects.includes(needle)) found.push("(a git object)");
  return found;
}
