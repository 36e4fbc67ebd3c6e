import type { Scrubber } from "./lines.js";

/**
 * Masks argv values that look like credentials before argv is written to a log. Orchard never puts
 * secrets on argv itself, but a user's `--agent-command` might, and a log is no place for them.
 */
const SECRET_NAME = /(key|token|secret|password|passwd|auth|credential)/i;
/** Real keys and tokens are long; shorter values are not masked (see secretScrubber). */
const MIN_SECRET_LENGTH = 16;

export function redactArgv(argv: string[]): string[] {
  const out: string[] = [];
  let maskNext = false;
  for (const arg of argv) {
    if (maskNext) {
      out.push("***");
      maskNext = false;
      continue;
    }
    const eq = arg.indexOf("=");
    if (eq > 0 && SECRET_NAME.test(arg.slice(0, eq))) {
      out.push(`${arg.slice(0, eq)}=***`);
    } else {
      out.push(arg);
      maskNext = arg.startsWith("-") && eq < 0 && SECRET_NAME.test(arg);
    }
  }
  return out;
}

/**
 * Replaces the values of secret-looking environment variables (API keys, tokens) wherever they appear in
 * a line: an agent that echoes its environment or a failing request must not put a key in Orchard's logs,
 * events or stored reasons. Short values are left alone: real keys and tokens are long (an Anthropic or
 * OpenAI key is 50+ characters, a Gemini key 39, a GitHub token 40), while masking a short value such as
 * "1" or "overloaded" everywhere would only garble output.
 */
export function secretScrubber(env: Record<string, string | undefined>): Scrubber {
  const secrets = Object.entries(env)
    .filter(
      ([name, value]) => value !== undefined && value.length >= MIN_SECRET_LENGTH && SECRET_NAME.test(name),
    )
    .map(([, value]) => value as string)
    .sort((a, b) => b.length - a.length);
  const scrub = (line: string) => {
    let out = line;
    for (const secret of secrets) if (out.includes(secret)) out = out.replaceAll(secret, "***");
    return out;
  };
  return Object.assign(scrub, { secrets });
}
