#!/usr/bin/env node
// gated-agent.mjs <gate-dir>
// A command agent the dashboard tests steer without timing: it prints a line, waits until <gate-dir>/go
// exists, prints another, waits while <gate-dir>/hold-<task id> exists, then fails when
// <gate-dir>/fail-<task id> exists (the reason on stderr) or writes out-<task id>.txt in its worktree and
// exits 0.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const gate = process.argv[2];
const task = process.env.ORCHARD_TASK_ID ?? "unknown";
console.log(`agent for task ${task}: waiting for the gate`);
let open = false;
const timer = setInterval(() => {
  if (!existsSync(join(gate, "go"))) return;
  if (!open) console.log(`agent for task ${task}: gate open, working`);
  open = true;
  if (existsSync(join(gate, `hold-${task}`))) return;
  clearInterval(timer);
  if (existsSync(join(gate, `fail-${task}`))) {
    console.error(`task ${task} broke on purpose`);
    process.exitCode = 3;
    return;
  }
  writeFileSync(`out-${task}.txt`, `made by task ${task}\n`);
  console.log(`agent for task ${task}: done`);
}, 50);
