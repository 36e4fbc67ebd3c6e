import { realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { OrchardError, usageError } from "../errors.js";

const inside = (path: string, root: string) => {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
};

/**
 * A plan path from a request, resolved against the repository. It must lie inside one of the roots (real
 * paths) both as written (`..`, absolute paths elsewhere: refused before the file system is asked, so a
 * refusal does not tell whether a file exists) and as its real path (a symlink that leads out).
 */
export async function resolvePlanPath(
  requested: string,
  repo: string,
  roots: readonly string[],
): Promise<string> {
  const lexical = resolve(repo, requested);
  const refused = () =>
    new OrchardError(
      "PATH_OUTSIDE_ROOTS",
      `plan path ${requested} is outside the plan roots (${roots.join(", ")}); the server's --plan-root allows another directory`,
    );
  if (!roots.some((r) => inside(lexical, r))) throw refused();
  let real: string;
  try {
    real = await realpath(lexical);
  } catch {
    throw usageError(`plan file ${requested} does not exist (paths are resolved against ${repo})`);
  }
  if (!roots.some((r) => inside(real, r))) throw refused();
  return real;
}
