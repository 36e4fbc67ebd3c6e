import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../../src/cli/io.js";
import { runCli } from "../../../src/cli/program.js";
import { selectedStoreUrl, useStoreUrl } from "../../../src/store/url.js";

afterEach(() => useStoreUrl(undefined));

function io(env: NodeJS.ProcessEnv = {}): CliIo & { out: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = "";
  stdout.on("data", (d) => (text += String(d)));
  stderr.on("data", (d) => (text += String(d)));
  return { stdout, stderr, env, cwd: process.cwd(), exitCode: 0, out: () => text };
}

describe("--store on every command (issue 25 item 1)", () => {
  it("is listed in each command's help", async () => {
    for (const command of ["run", "status", "logs", "cancel", "retry", "resume", "serve"]) {
      const cli = io();
      expect(await runCli([command, "--help"], cli)).toBe(0);
      expect(cli.out(), command).toContain("--store <url>");
    }
  });

  it("refuses a URL that is not PostgreSQL before the command runs, without showing its password", async () => {
    const cli = io();
    expect(await runCli(["status", "--store", "mysql://u:Pw12345@h/db"], cli)).toBe(2);
    expect(cli.out()).toContain("only PostgreSQL URLs");
    expect(cli.out()).not.toContain("Pw12345");
    expect(selectedStoreUrl()).toBeUndefined();
  });
});
