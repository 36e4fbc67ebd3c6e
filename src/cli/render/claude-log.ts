import { duration, truncate } from "../format.js";

/**
 * Claude Code's `--output-format stream-json` log as a person reads it: the assistant's text, one line
 * per tool call, tool errors, and the result. Lines that are not its events (Orchard's header line, the
 * CLI's stderr) stay as they are. Returns null when the log holds no Claude Code event: nothing to render.
 */
export function renderClaudeLog(text: string, width = 120): string | null {
  const out: string[] = [];
  let events = 0;
  let lastText = "";
  for (const line of text.split("\n")) {
    const event = claudeEvent(line);
    if (!event) {
      out.push(line);
      continue;
    }
    events++;
    const lines = renderEvent(event, width);
    // The result repeats the assistant's last words: said once.
    if (event.type === "result" && lines[1] === lastText) lines.pop();
    for (const c of items(event))
      if (event.type === "assistant" && c.type === "text") lastText = str(c.text).trim();
    out.push(...lines);
  }
  return events > 0 ? out.join("\n") : null;
}

type Json = Record<string, unknown>;

function claudeEvent(line: string): Json | null {
  if (!line.startsWith("{")) return null;
  try {
    const v = JSON.parse(line) as unknown;
    if (v === null || typeof v !== "object") return null;
    const type = (v as Json).type;
    return type === "system" || type === "assistant" || type === "user" || type === "result"
      ? (v as Json)
      : null;
  } catch {
    return null;
  }
}

function renderEvent(e: Json, width: number): string[] {
  switch (e.type) {
    case "system":
      return e.subtype === "init"
        ? [
            `· session ${str(e.session_id)} · model ${str(e.model)} · ${str(e.permissionMode) || "default"} permissions`,
          ]
        : [];
    case "assistant":
      return items(e).flatMap((c) => {
        if (c.type === "text") return str(c.text).trim() ? [str(c.text).trim()] : [];
        if (c.type === "tool_use") return [truncate(`→ ${str(c.name)} ${toolSummary(c.input)}`, width)];
        return [];
      });
    case "user":
      return items(e).flatMap((c) =>
        c.type === "tool_result" && c.is_error === true
          ? [truncate(`  ✗ ${firstLine(c.content)}`, width)]
          : [],
      );
    case "result": {
      const cost = typeof e.total_cost_usd === "number" ? `, $${e.total_cost_usd.toFixed(4)}` : "";
      const took = typeof e.duration_ms === "number" ? `, ${duration(e.duration_ms)}` : "";
      const head = `= ${str(e.subtype) || "result"}${e.is_error === true ? " (error)" : ""}: ${e.num_turns ?? "?"} turns${took}${cost}`;
      const result = str(e.result).trim();
      return result ? [head, result] : [head];
    }
    default:
      return [];
  }
}

function items(e: Json): Json[] {
  const content = (e.message as Json | undefined)?.content;
  return Array.isArray(content) ? (content.filter((c) => c && typeof c === "object") as Json[]) : [];
}

/** What a tool call is about, in a few words: its file, command, pattern or address. */
function toolSummary(input: unknown): string {
  if (!input || typeof input !== "object") return "";
  const i = input as Json;
  for (const key of ["file_path", "command", "pattern", "path", "url", "query", "description", "prompt"]) {
    if (typeof i[key] === "string") return oneLine(i[key] as string);
  }
  return oneLine(JSON.stringify(i));
}

function firstLine(content: unknown): string {
  if (typeof content === "string") return oneLine(content);
  if (Array.isArray(content)) {
    const text = content.find((c) => c && typeof c === "object" && typeof (c as Json).text === "string");
    if (text) return oneLine(str((text as Json).text));
  }
  return "tool error";
}

const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();
const str = (v: unknown) => (typeof v === "string" ? v : "");
