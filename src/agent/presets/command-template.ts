import { parse } from "shell-quote";
import { usageError } from "../../errors.js";
import type { AgentContext } from "../types.js";

/** The placeholders a command template may use, and where each value comes from. */
const PLACEHOLDERS = {
  prompt_file: (ctx: AgentContext) => ctx.promptFile,
  task_file: (ctx: AgentContext) => ctx.taskFile,
  task_id: (ctx: AgentContext) => ctx.taskId,
  run_id: (ctx: AgentContext) => ctx.runId,
  slot_dir: (ctx: AgentContext) => ctx.slotDir,
} as const;

type Placeholder = keyof typeof PLACEHOLDERS;
const PLACEHOLDER = /\{([a-z_]+)\}/g;

/**
 * Splits a command template into words as a shell would (quotes, backslashes), but no shell ever runs:
 * operators, redirections, comments and `$VAR` are rejected rather than silently passed as text.
 * Placeholders are checked here so a typo fails before any task runs.
 */
export function splitTemplate(template: string): string[] {
  const vars: string[] = [];
  // A variable is kept as written: a shell script given to `sh -c` expands it there (below).
  const entries = parse(template, (name) => {
    vars.push(name);
    return `$${name}`;
  });
  if (vars.length > 0 && !shellScriptHolds(entries, vars)) {
    throw usageError(
      `agent command: $${vars[0]} would need a shell to expand, and no shell runs. ` +
        "The agent inherits Orchard's environment; read the variable there, or write the value out.",
    );
  }
  const words: string[] = [];
  for (const e of entries) {
    if (typeof e === "string") words.push(e);
    else if ("op" in e && e.op === "glob") words.push(e.pattern);
    else if ("op" in e) {
      throw usageError(
        `agent command: "${e.op}" is a shell operator, and no shell runs. ` +
          "Put the pipeline in a script and give the script as the command.",
      );
    } else {
      throw usageError('agent command: "#" starts a shell comment; quote it if it belongs to an argument.');
    }
  }
  if (words.length === 0) throw usageError("agent command is empty");
  for (const w of words) checkPlaceholders(w);
  return words;
}

const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh"]);

/**
 * `sh -c "echo $ORCHARD_TASK_ID > out"`: the variables are in the script a shell runs (the word after
 * `-c`), and that shell expands them. Anywhere else a `$VAR` would need a shell that never runs.
 */
function shellScriptHolds(entries: ReturnType<typeof parse>, vars: string[]): boolean {
  const [program, flag, script] = entries;
  if (typeof program !== "string" || flag !== "-c" || typeof script !== "string") return false;
  if (!SHELLS.has(program.split("/").pop() ?? "")) return false;
  const rest = entries.slice(3).filter((e): e is string => typeof e === "string");
  return vars.every((v) => script.includes(`$${v}`) && !rest.some((w) => w.includes(`$${v}`)));
}

function checkPlaceholders(word: string): void {
  for (const m of word.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    if (name === "prompt") {
      throw usageError(
        "agent command: {prompt} is not available, the prompt never goes on argv. " +
          "It is on the agent's stdin and in {prompt_file}.",
      );
    }
    if (!(name in PLACEHOLDERS)) {
      throw usageError(
        `agent command: unknown placeholder {${name}}; known: ${Object.keys(PLACEHOLDERS)
          .map((k) => `{${k}}`)
          .join(", ")}`,
      );
    }
  }
}

/** Fills the placeholders of each word, also inside a word (`--file={prompt_file}`). */
export function substitute(words: string[], ctx: AgentContext): string[] {
  return words.map((w) =>
    w.replace(PLACEHOLDER, (_, name: string) => PLACEHOLDERS[name as Placeholder](ctx)),
  );
}
