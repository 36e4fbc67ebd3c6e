/** The fields Orchard reads, under the names people write them. */
export type FieldKey =
  | "files"
  | "implementation"
  | "verification"
  | "depends"
  | "commit"
  | "status"
  | "agent"
  | "changes"
  | "mode"
  | "goal"
  | "architecture"
  /** Known prose (notes, context …): kept as text, no warning. */
  | "prose";

/**
 * Field spellings → keys. A Map: a plain object would answer `constructor` from its prototype, and a
 * lookup on a prototype-less one first interns the lowercased name, which showed in the profile.
 */
const ALIASES = new Map<string, FieldKey>(
  Object.entries({
    files: "files",
    file: "files",
    "file(s)": "files",
    arquivo: "files",
    arquivos: "files",
    "files changed": "files",
    "files to change": "files",
    implementation: "implementation",
    "implementation details": "implementation",
    instructions: "implementation",
    verification: "verification",
    verify: "verification",
    "verification steps": "verification",
    "depends on": "depends",
    depends: "depends",
    dependencies: "depends",
    dependency: "depends",
    requires: "depends",
    "blocked by": "depends",
    dependências: "depends",
    dependencias: "depends",
    commit: "commit",
    "commit message": "commit",
    status: "status",
    agent: "agent",
    changes: "changes",
    "execution mode": "mode",
    mode: "mode",
    goal: "goal",
    architecture: "architecture",
  }) as [string, FieldKey][],
);

const PROSE = new Set([
  "tech stack",
  "context",
  "description",
  "notes",
  "note",
  "background",
  "overview",
  "summary",
  "purpose",
  "rationale",
  "why",
  "expected",
  "expected output",
  "run",
  "output",
  "example",
  "important",
  "warning",
  "tip",
  "acceptance criteria",
  "test",
  "tests",
  "testing",
  "for claude",
  "scope",
  "risks",
  "estimate",
  "priority",
  "tipo",
  "prioridade",
  "type",
  "story points",
  "effort",
]);

export const normalizeName = (name: string): string => name.toLowerCase().replace(/\s+/g, " ").trim();

/** The key of a field name, or undefined for a name Orchard does not know (a warning). */
export function fieldKey(name: string): FieldKey | undefined {
  // A name that is already a known key as written (the usual case) skips the regex.
  const lower = name.toLowerCase();
  const direct = ALIASES.get(lower) ?? (PROSE.has(lower) ? "prose" : undefined);
  if (direct !== undefined) return direct;
  const n = normalizeName(name);
  return ALIASES.get(n) ?? (PROSE.has(n) ? "prose" : undefined);
}

/** A sub-heading such as `#### Files` is read as a field only for the structural fields. */
export const isFieldHeading = (name: string): boolean => {
  const k = ALIASES.get(name.toLowerCase()) ?? ALIASES.get(normalizeName(name));
  return k !== undefined && k !== "goal" && k !== "architecture";
};
