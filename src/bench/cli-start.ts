/**
 * Times whole `orchard` processes, from spawn to exit, against `node -e 0` (issue 21: a CLI that starts in
 * milliseconds). Run: npm run build && node dist/bench/cli-start.js [repetitions].
 *
 * Each round runs every command once, in turn, so that the machine's load (2 cores shared here) falls on
 * all of them alike; the minimum is the figure to compare, the median shows the spread.
 * `status` reads a repository made by `orchard demo` (one finished run of six tasks), `plan check` reads
 * the demo's plan.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const REPS = Number(process.argv[2] ?? 15);
const bin = join(dirname(fileURLToPath(import.meta.url)), "../cli/main.js");
const dir = mkdtempSync(join(tmpdir(), "orchard-cli-start-"));
const repo = join(dir, "demo");

function run(argv: string[], cwd = dir): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, argv, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`${argv.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

try {
  run([bin, "demo", "--dir", repo]);
  const cases: Array<[string, string[], string?]> = [
    ["node -e 0", ["-e", "0"]],
    ["orchard --version", [bin, "--version"]],
    ["orchard --help", [bin, "--help"]],
    ["orchard status", [bin, "status"], repo],
    ["orchard plan check plan.md", [bin, "plan", "check", "plan.md"], repo],
  ];
  const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  for (let i = 0; i < REPS; i++) {
    for (const [name, argv, cwd] of cases) times.get(name)?.push(run(argv, cwd));
  }
  const base = Math.min(...(times.get("node -e 0") ?? [0]));
  console.log(`| command | min ms | median ms | min ÷ node -e 0 |`);
  console.log(`|---|---:|---:|---:|`);
  for (const [name, ms] of times) {
    const sorted = [...ms].sort((a, b) => a - b);
    const min = sorted[0] ?? 0;
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    console.log(`| \`${name}\` | ${min.toFixed(0)} | ${median.toFixed(0)} | ${(min / base).toFixed(2)} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
