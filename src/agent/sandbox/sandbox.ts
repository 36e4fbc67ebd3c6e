import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { OrchardError } from "../../errors.js";
import type { AgentPreset } from "../types.js";
import { sandboxSupport } from "./available.js";
import { type NetGate, openGate } from "./gate.js";
import { type AllowedHost, allowList } from "./hosts.js";
import { agentDirs, bwrapArgs, HOME_SECRETS, type Mask } from "./policy.js";

/** A command as the attempt would start it; the sandbox returns the confined one. */
export interface Command {
  argv: string[];
  env: Record<string, string>;
}

/** Turns a command run in one slot into the same command confined to that slot. */
export type Confine = (cmd: Command) => Command;

export interface Sandbox {
  /** The allow list the run's commands reach the network through. */
  allowed: readonly AllowedHost[];
  /** The confiner for one attempt in `slotDir` (its agent, setup and verification commands). */
  forSlot(input: { slotDir: string; attemptDir: string; preset?: AgentPreset }): Confine;
  close(): Promise<void>;
}

export interface OpenSandboxInput {
  /** The user's checkout (its top level). */
  repo: string;
  /** The run's agents: their model APIs are allowed, their config directories writable. */
  presets: readonly AgentPreset[];
  /** `--allow-host` entries. */
  allowHosts: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Opens the sandbox for one run: checks that bubblewrap can start one here (refusing, with what to
 * install, when it cannot: never a fall-back to running unconfined), finds the secrets to hide and
 * starts the network gate. Close it when the run ends.
 */
export async function openSandbox(input: OpenSandboxInput): Promise<Sandbox> {
  const env = input.env ?? process.env;
  const support = await sandboxSupport();
  if (!support.available || !support.bwrap) {
    throw new OrchardError("SANDBOX_UNAVAILABLE", `--mode sandbox cannot start: ${support.problem}`);
  }
  const bwrap = support.bwrap;
  let allowed: AllowedHost[];
  try {
    allowed = allowList({ allowHosts: input.allowHosts, binaries: input.presets.map((p) => p.binary), env });
  } catch (err) {
    throw new OrchardError("USAGE", (err as Error).message);
  }
  const checkout = realpathSync.native(input.repo);
  const gitDir = realpathSync.native(commonGitDir(checkout));
  const state = join(gitDir, "orchard");
  const home = realHome(env);
  const masks = home ? [...homeSecrets(home), ...(await envFiles(home))] : [];
  const gate: NetGate | undefined = allowed.length > 0 ? await openGate(allowed) : undefined;
  const launcher = gate ? [...insideArgv(), gate.dir, gate.ports.join(","), "--"] : [];

  return {
    allowed,
    forSlot({ slotDir, attemptDir, preset }) {
      const slot = realpathSync.native(slotDir);
      const writable = home ? agentDirs(preset?.binary, env, home) : [];
      for (const dir of writable) mkdirSync(dir, { recursive: true });
      mkdirSync(attemptDir, { recursive: true });
      const args = bwrapArgs({
        checkout,
        gitDir,
        slotDir: slot,
        poolDir: dirname(slot),
        ...(existsSync(state) ? { stateDir: state } : {}),
        readOnly: [realpathSync.native(attemptDir)],
        writable: writable.map((d) => realpathSync.native(d)),
        masks,
        ...(gate ? { gateDir: gate.dir } : {}),
        cwd: slot,
      });
      return (cmd) => ({
        argv: [bwrap, ...args, "--", ...launcher, ...cmd.argv],
        // npm's cache in HOME is read-only here: a `--setup` npm install caches in the private /tmp.
        env: { ...cmd.env, TMPDIR: "/tmp", npm_config_cache: "/tmp/.npm" },
      });
    },
    close: async () => {
      await gate?.close();
    },
  };
}

/** The git directory shared by every worktree of `checkout` (`.git`, or where a `.git` file points). */
function commonGitDir(checkout: string): string {
  const dotGit = join(checkout, ".git");
  if (statSync(dotGit).isDirectory()) return dotGit;
  const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, "utf8"))?.[1]?.trim();
  if (!pointer) return dotGit;
  const gitdir = isAbsolute(pointer) ? pointer : resolve(checkout, pointer);
  // A linked worktree's gitdir is <common>/worktrees/<name>; its `commondir` file says where <common> is.
  try {
    return resolve(gitdir, readFileSync(join(gitdir, "commondir"), "utf8").trim());
  } catch {
    return gitdir;
  }
}

function realHome(env: NodeJS.ProcessEnv): string | null {
  try {
    return realpathSync.native(env.HOME || homedir());
  } catch {
    return null;
  }
}

function homeSecrets(home: string): Mask[] {
  const masks: Mask[] = [];
  for (const rel of HOME_SECRETS) {
    const path = join(home, rel);
    if (!existsSync(path)) continue;
    const real = realpathSync.native(path);
    masks.push({ path: real, dir: statSync(real).isDirectory() });
  }
  return masks;
}

/**
 * `.env` files under HOME (other projects' secrets), found once a run with ripgrep: hidden files
 * included, ignore files not obeyed (a `.env` is usually git-ignored), dependencies and git directories
 * skipped, six levels deep at most, ten seconds at most (what it found by then is hidden).
 */
function envFiles(home: string): Promise<Mask[]> {
  const args = ["--files", "--hidden", "--no-ignore", "--no-messages", "--max-depth", "6"];
  for (const glob of [".env", ".env.*", "!node_modules", "!.git"]) args.push("-g", glob);
  args.push(home);
  return new Promise((resolve) => {
    execFile("rg", args, { timeout: 10_000, maxBuffer: 8 << 20 }, (_err, stdout) => {
      const files = String(stdout ?? "")
        .split("\n")
        .filter((f) => f.startsWith("/"));
      resolve(files.map((path) => ({ path, dir: false })));
    });
  });
}

/** How to start ./inside.ts (from TypeScript sources, through tsx's loader, as the scripted agent does). */
function insideArgv(): string[] {
  const fromSource = import.meta.url.endsWith(".ts");
  const entry = fileURLToPath(new URL(`./inside.${fromSource ? "ts" : "js"}`, import.meta.url));
  if (!fromSource) return [process.execPath, entry];
  const loader = createRequire(import.meta.url).resolve("tsx");
  return [process.execPath, "--import", pathToFileURL(loader).href, entry];
}
