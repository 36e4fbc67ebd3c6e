import type { Command } from "commander";
import type { CliIo } from "../io.js";
import { registerAgents } from "./agents.js";
import { registerBench } from "./bench.js";
import { registerClean } from "./clean.js";
import { registerControl } from "./control.js";
import { registerDemo } from "./demo.js";
import { registerLogs } from "./logs.js";
import { registerPlanCheck } from "./plan-check.js";
import { registerRun } from "./run.js";
import { registerServe } from "./serve.js";
import { registerStatus } from "./status.js";

export type RegisterCommand = (program: Command, io: CliIo) => void;

/** Every command, one module each. Add a line here when a command is added. */
export const COMMANDS: RegisterCommand[] = [
  registerRun,
  registerStatus,
  registerControl,
  registerLogs,
  registerClean,
  registerDemo,
  registerBench,
  registerAgents,
  registerPlanCheck,
  registerServe,
];
