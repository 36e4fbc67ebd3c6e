import { chmod, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findPython } from "../../../src/spawner/index.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function binDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "orchard-python-"));
  dirs.push(d);
  return d;
}
async function shim(dir: string): Promise<void> {
  await writeFile(join(dir, "python3"), '#!/usr/bin/env bash\nexec pyenv exec python3 "$@"\n');
  await chmod(join(dir, "python3"), 0o755);
}
/** An executable that is not a script: an ELF binary, as an interpreter is. */
async function binary(dir: string): Promise<string> {
  const path = join(dir, "python3");
  await symlink(process.execPath, path);
  return path;
}

describe("which python3 the Python spawner runs", () => {
  it("is ORCHARD_PYTHON when it is set, whatever else there is", async () => {
    expect(findPython({ ORCHARD_PYTHON: "/opt/py/bin/python3", PATH: await binDir() }, [])).toBe(
      "/opt/py/bin/python3",
    );
  });

  it("is the system's before the PATH's", async () => {
    const system = await binary(await binDir());
    const onPath = await binDir();
    await binary(onPath);
    expect(findPython({ PATH: onPath }, ["/nonexistent/python3", system])).toBe(system);
  });

  it("is the first python3 on the PATH when the system has none", async () => {
    const empty = await binDir();
    const first = await binDir();
    const second = await binDir();
    const path = await binary(first);
    await binary(second);
    expect(findPython({ PATH: [empty, first, second].join(":") }, [])).toBe(path);
  });

  it("is none when the PATH's python3 is a version manager's shim (a script that starts slowly)", async () => {
    const shims = await binDir();
    await shim(shims);
    const later = await binDir();
    await binary(later);
    expect(findPython({ PATH: `${shims}:${later}` }, [])).toBeNull();
    expect(findPython({ PATH: await binDir() }, [])).toBeNull();
  });
});
