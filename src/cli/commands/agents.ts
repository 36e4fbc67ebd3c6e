import {
  type AgentInstallation,
  checkInstallations,
  listPresets,
  probeSandbox,
  type SandboxSupport,
} from "../../agent/index.js";
import { println } from "../io.js";
import type { RegisterCommand } from "./index.js";

/** `orchard agents`: the agent presets, whether each one's CLI is installed, and its version. */
export const registerAgents: RegisterCommand = (program, io) => {
  program
    .command("agents")
    .description("list the agent presets, whether each CLI is installed, and its version")
    .option("--json", "print JSON")
    .action(async (flags: { json?: boolean }) => {
      const [rows, sandbox] = await Promise.all([
        checkInstallations(listPresets(), io.env, io.cwd),
        flags.json ? undefined : probeSandbox(io.env),
      ]);
      if (flags.json) println(io.stdout, JSON.stringify(rows, null, 2));
      else {
        printTable(rows, io.stdout);
        if (sandbox) printSandbox(sandbox, io.stdout);
      }
    });
};

export function printTable(rows: AgentInstallation[], out: NodeJS.WritableStream): void {
  const cells = rows.map((r) => [r.name, installedCell(r), r.version ?? "-", r.description]);
  const header = ["AGENT", "INSTALLED", "VERSION", "DESCRIPTION"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  for (const line of [header, ...cells]) {
    println(out, line.map((c, i) => (i === line.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  "));
  }
  const missing = rows.filter((r) => !r.installed && r.binaryEnv);
  if (missing.length > 0) {
    println(out);
    println(
      out,
      `not found: put the CLI on PATH, or point ${missing.map((r) => r.binaryEnv).join(" / ")} at it`,
    );
  }
}

/** Whether `--mode sandbox` can confine agents here, and what to install when it cannot. */
function printSandbox(s: SandboxSupport, out: NodeJS.WritableStream): void {
  println(out);
  println(
    out,
    s.available
      ? `sandbox (--mode sandbox): available (bubblewrap at ${s.bwrap})`
      : `sandbox (--mode sandbox): unavailable: ${s.problem}`,
  );
}

function installedCell(r: AgentInstallation): string {
  if (r.name === "command") return "(any)";
  if (!r.command) return "built-in";
  return r.installed ? "yes" : "no";
}
