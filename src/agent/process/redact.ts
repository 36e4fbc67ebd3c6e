/**
 * Masks argv values that look like credentials before argv is written to a log. Orchard never puts
 * secrets on argv itself, but a user's `--agent-command` might, and a log is no place for them.
 */
const SECRET_NAME = /(key|token|secret|password|passwd|auth|credential)/i;

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
