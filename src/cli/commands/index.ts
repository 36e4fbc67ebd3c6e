import type { Command } from "commander";
import type { CliIo } from "../io.js";

export type RegisterCommand = (program: Command, io: CliIo) => void;

/** Every command, one module each. Add a line here when a command is added. */
export const COMMANDS: RegisterCommand[] = [];
