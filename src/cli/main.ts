#!/usr/bin/env node
import { processIo } from "./io.js";
import { runCli } from "./program.js";

// `orchard status | head`: a reader that stops early is not Orchard's error. What is still to be
// written goes nowhere and the command finishes (a run goes on and is recorded), with no stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
  });
}

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
