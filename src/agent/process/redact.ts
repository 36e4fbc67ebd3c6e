import type { Scrubber } from "./lines.js";

/**
 * Masks argv values that look like credentials before argv is written to a log. Orchard never puts
 * secrets on argv itself, but a user's `--agent-command` might, and a log is no place for them.
 */
const SECRET_NAME = /(key|token|secret|password|passwd|auth|credential)/i;
/** Real keys and tokens are long; shorter values are not masked (see secretScrubber). */
const MIN_SECRET_LENGTH = 16;

/**
 * Values shaped like well-known credentials, wherever they stand: GitHub tokens, OpenAI/Anthropic keys
 * (`sk-…`), Google API keys, Slack tokens, AWS access key ids, GitLab tokens.
 */
const TOKEN_SHAPES =
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|sk-[A-Za-z0-9_-]{16,}|AIza[0-9A-Za-z_-]{30,}|xox[abposr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|glpat-[A-Za-z0-9_-]{20,})/g;

/** True for a value shaped like a well-known credential. */
export function looksLikeSecret(value: string): boolean {
  TOKEN_SHAPES.lastIndex = 0;
  return TOKEN_SHAPES.test(value);
}

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
      out.push(arg.replace(TOKEN_SHAPES, "***"));
      maskNext = (arg.startsWith("-") && eq < 0 && SECRET_NAME.test(arg)) || /^bearer$/i.test(arg);
    }
  }
  return out;
}

/**
 * The same masking on a command line kept as text (an `--agent-command` template, a setup line), so
 * that what Orchard stores and shows of it holds no secret: `NAME=value` and `--token value` pairs
 * whose name says secret, `Bearer …`, and credential-shaped values anywhere.
 */
export function redactCommandLine(line: string): string {
  const value = String.raw`("[^"]*"|'[^']*'|[^\s"']+)`;
  const name = "(?:key|token|secret|password|passwd|auth|credential)";
  return line
    .replace(TOKEN_SHAPES, "***")
    .replace(new RegExp(String.raw`(\bBearer\s+)${value}`, "gi"), "$1***")
    .replace(
      new RegExp(String.raw`(^|[\s"'])(-{1,2}[\w-]*${name}[\w-]*)(=|\s+)${value}`, "gi"),
      (_m, pre: string, flag: string, sep: string) => `${pre}${flag}${sep}***`,
    )
    .replace(
      new RegExp(String.raw`(^|[\s"'])([A-Za-z_][\w]*${name}[\w]*|${name}[\w]*)=${value}`, "gi"),
      (_m, pre: string, name: string) => `${pre}${name}=***`,
    );
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
