import { join } from "node:path";

/** A path the sandbox hides: a directory becomes an empty read-only one, a file reads as empty. */
export interface Mask {
  path: string;
  dir: boolean;
}

/** Everything one confined command's mounts are made from (absolute, real paths). */
export interface Policy {
  /** The user's checkout: its work tree is hidden and read-only. */
  checkout: string;
  /** The repository's git directory, read-only (a slot's git reads objects and refs from it). */
  gitDir: string;
  /** The task's slot: the one writable place of the repository. */
  slotDir: string;
  /** The directory of every slot of the pool: hidden, so no other slot can be read. */
  poolDir: string;
  /** Orchard's state in the git directory (store, every run's logs): hidden. */
  stateDir?: string;
  /** Read-only: the attempt's prompt and task files. */
  readOnly: readonly string[];
  /** Writable: the agent's own config and cache directories. */
  writable: readonly string[];
  masks: readonly Mask[];
  /** Bound (writable) so the Unix sockets in it can be connected to; absent: no network at all. */
  gateDir?: string;
  cwd: string;
}

/**
 * bubblewrap's arguments for one command. The host's filesystem is seen read-only; over it, later
 * mounts win: a private /tmp, secrets and other slots hidden, the checkout's work tree hidden, then the
 * git directory, the agent's own directories and the slot bound back. No network but the gate's sockets
 * (a namespace of its own), no capabilities, its own PIDs, and it dies with the process that started it.
 */
export function bwrapArgs(p: Policy): string[] {
  const args = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"];
  // Host sockets (a Docker daemon, D-Bus) can be connected to through a read-only mount: hide them.
  args.push("--tmpfs", "/run");
  for (const m of p.masks) {
    if (m.path === p.slotDir || m.path.startsWith(`${p.slotDir}/`)) continue;
    if (m.dir) args.push("--tmpfs", m.path, "--remount-ro", m.path);
    else args.push("--ro-bind", "/dev/null", m.path);
  }
  const hidden = [p.checkout, ...(p.stateDir ? [p.stateDir] : []), p.poolDir];
  // Orchard's state lives in the git directory: it is hidden after that is bound back.
  args.push("--tmpfs", p.checkout, "--ro-bind", p.gitDir, p.gitDir);
  for (const dir of hidden.slice(1)) args.push("--tmpfs", dir);
  for (const dir of p.writable) args.push("--bind", dir, dir);
  for (const dir of p.readOnly) args.push("--ro-bind", dir, dir);
  args.push("--bind", p.slotDir, p.slotDir);
  if (p.gateDir) args.push("--bind", p.gateDir, p.gateDir);
  // The hiding tmpfs mounts end read-only: a write there fails instead of vanishing with the sandbox.
  for (const dir of hidden) args.push("--remount-ro", dir);
  args.push("--unshare-all", "--cap-drop", "ALL", "--die-with-parent", "--chdir", p.cwd);
  return args;
}

/** The user's secrets under HOME that no confined command may read. */
export const HOME_SECRETS = [
  ".ssh",
  ".aws",
  ".azure",
  ".config/gh",
  ".config/gcloud",
  ".docker",
  ".gnupg",
  ".kube",
  ".password-store",
  ".local/share/keyrings",
  ".git-credentials",
  ".netrc",
  ".npmrc",
  ".pypirc",
];

/** The agent CLI's own config and cache directories (it writes sessions, settings, logs there). */
export function agentDirs(binary: string | undefined, env: NodeJS.ProcessEnv, home: string): string[] {
  switch (binary) {
    case "claude":
      return [env.CLAUDE_CONFIG_DIR || join(home, ".claude")];
    case "codex":
      return [env.CODEX_HOME || join(home, ".codex")];
    case "gemini":
      return [join(home, ".gemini")];
    case "opencode":
      return ["opencode"].flatMap((n) => [
        join(home, ".config", n),
        join(home, ".local", "share", n),
        join(home, ".local", "state", n),
        join(home, ".cache", n),
      ]);
    default:
      return [];
  }
}
