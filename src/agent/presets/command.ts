import type { AgentPreset } from "../types.js";
import { splitTemplate, substitute } from "./command-template.js";
import { createGenericReader } from "./generic-reader.js";

/**
 * Any program as an agent: `--agent-command 'my-agent --task {task_id} --file={prompt_file}'`.
 * The prompt also goes to its stdin. Throws a usage error at once for a template no shell-less run
 * could honour.
 */
export function commandPreset(template: string): AgentPreset {
  const words = splitTemplate(template);
  return {
    name: "command",
    description: "any program, from an argv template; the prompt on stdin and in {prompt_file}",
    binary: words[0],
    invocation: (ctx) => ({
      argv: [...substitute(words, ctx), ...(ctx.extraArgs ?? [])],
      stdin: "prompt",
    }),
    createOutputReader: createGenericReader,
  };
}
