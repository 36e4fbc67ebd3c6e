import { readFileSync } from "node:fs";
import type { AgentReport, OutputReader } from "../../../../src/agent/types.js";

const CAPTURES = new URL("../../../fixtures/model-servers/captures/", import.meta.url);

/** Feeds a capture of a real CLI's stdout, line by line, to a reader. */
export function readCapture(reader: OutputReader, name: string, stderr: string[] = []): AgentReport {
  const text = readFileSync(new URL(name, CAPTURES), "utf8");
  for (const line of text.split("\n")) reader.onLine(line, "stdout");
  for (const line of stderr) reader.onLine(line, "stderr");
  return reader.finish();
}

export function feed(reader: OutputReader, lines: unknown[]): AgentReport {
  for (const l of lines) reader.onLine(typeof l === "string" ? l : JSON.stringify(l), "stdout");
  return reader.finish();
}
