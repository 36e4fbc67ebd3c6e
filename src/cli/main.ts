#!/usr/bin/env node
import { processIo } from "./io.js";
import { runCli } from "./program.js";

const io = processIo();
runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`orchard: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
