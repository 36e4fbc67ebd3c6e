import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveToken } from "../../../src/forge/index.js";

describe("resolveToken", () => {
  let bin = "";
  beforeAll(async () => {
    bin = await mkdtemp(join(tmpdir(), "orchard-gh-"));
    // A fake gh that answers `gh auth token` as the real one does when logged in.
    await writeFile(
      join(bin, "gh"),
      '#!/bin/sh\n[ "$1 $2" = "auth token" ] && echo gho_fromGhCli && exit 0\nexit 1\n',
      { mode: 0o755 },
    );
  });
  afterAll(() => rm(bin, { recursive: true, force: true }));

  it("takes GITHUB_TOKEN first, then GH_TOKEN", async () => {
    expect(await resolveToken({ GITHUB_TOKEN: "a", GH_TOKEN: "b", PATH: bin })).toEqual({
      token: "a",
      from: "GITHUB_TOKEN",
    });
    expect(await resolveToken({ GH_TOKEN: "b", PATH: bin })).toEqual({ token: "b", from: "GH_TOKEN" });
  });

  it("asks `gh auth token` when neither is set", async () => {
    expect(await resolveToken({ PATH: `${bin}:/usr/bin:/bin` })).toEqual({
      token: "gho_fromGhCli",
      from: "gh auth token",
    });
  });

  it("is null when there is no token and no gh", async () => {
    expect(await resolveToken({ PATH: "/nonexistent" })).toBeNull();
  });
});
