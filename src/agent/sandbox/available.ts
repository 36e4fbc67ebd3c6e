import { execFile } from "node:child_process";
import { findExecutable } from "../presets/index.js";

export interface SandboxSupport {
  available: boolean;
  /** bubblewrap's path, when found. */
  bwrap: string | null;
  /** Why the sandbox cannot start here, and what to install or enable; null when it can. */
  problem: string | null;
}

const INSTALL =
  "install bubblewrap and ripgrep (Debian/Ubuntu: apt-get install bubblewrap ripgrep; Fedora: dnf install bubblewrap ripgrep)";

let probed: Promise<SandboxSupport> | undefined;

/**
 * Whether agents can be confined here: bubblewrap and ripgrep are installed and a sandbox with its own
 * user, PID and network namespaces really starts (`bwrap … true`): a kernel or container that forbids
 * unprivileged user namespaces fails here, not in the first task. Asked once per process.
 */
export function sandboxSupport(): Promise<SandboxSupport> {
  probed ??= probeSandbox(process.env);
  return probed;
}

/** The probe itself, with `env`'s PATH (sandboxSupport asks it once, with the process's). */
export async function probeSandbox(env: NodeJS.ProcessEnv): Promise<SandboxSupport> {
  if (process.platform !== "linux") {
    return {
      available: false,
      bwrap: null,
      problem: `the sandbox needs Linux (bubblewrap); this is ${process.platform}`,
    };
  }
  const [bwrap, rg] = await Promise.all([findExecutable("bwrap", env), findExecutable("rg", env)]);
  if (!bwrap)
    return { available: false, bwrap: null, problem: `bubblewrap (bwrap) is not on PATH: ${INSTALL}` };
  if (!rg) return { available: false, bwrap, problem: `ripgrep (rg) is not on PATH: ${INSTALL}` };
  const args = [
    "--ro-bind",
    "/",
    "/",
    "--unshare-all",
    "--cap-drop",
    "ALL",
    "--die-with-parent",
    "--",
    "true",
  ];
  const failure = await new Promise<string | null>((resolve) => {
    execFile(bwrap, args, { timeout: 10_000 }, (err, _out, stderr) =>
      resolve(err ? stderr.trim() || err.message : null),
    );
  });
  if (failure) {
    return {
      available: false,
      bwrap,
      problem: `bubblewrap cannot start a sandbox here (${failure}): enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or the container's seccomp/AppArmor profile), or run without --mode sandbox`,
    };
  }
  return { available: true, bwrap, problem: null };
}
