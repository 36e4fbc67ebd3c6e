/**
 * Why `id` cannot be one component of a git ref name, or undefined when it can. Task ids become branch
 * names (`orchard/<run>/tasks/<id>`), so they follow `git check-ref-format`'s rules for a component:
 * no leading dot, no `..`, no control characters, space or any of `~^:?*[\`, no `@{`, not ending
 * in `.` or `.lock`, and no `/` (an id is one component). Issue 19, item 16: `1.lock` passed `plan check`
 * and failed at run time.
 */
export function refComponentProblem(id: string): string | undefined {
  if (id === "") return "it is empty";
  if (id.startsWith(".")) return "git refuses a ref component that starts with a dot";
  if (id.endsWith(".lock")) return 'git refuses a ref component that ends in ".lock"';
  if (id.endsWith(".")) return "git refuses a ref that ends with a dot";
  if (id.includes("..")) return 'git refuses ".." in a ref';
  if (id.includes("@{")) return 'git refuses "@{" in a ref';
  if (id.includes("/")) return 'it contains "/"';
  for (const ch of id) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c === 0x7f) return "git refuses control characters in a ref";
    if (" ~^:?*[\\".includes(ch)) return `git refuses "${ch}" in a ref`;
  }
  return undefined;
}
