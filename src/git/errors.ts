/**
 * The one error git operations throw. `code` comes from a closed set classified from stderr, so callers
 * branch on codes, never on message text (the model is VS Code's `getGitErrorCode`).
 */
export const GIT_ERROR_CODES = [
  "NOT_A_REPO",
  "NOT_A_SLOT",
  "BAD_REVISION",
  "LOCKED",
  "CONFLICT",
  "WORKTREE_EXISTS",
  "BRANCH_EXISTS",
  "BRANCH_CHECKED_OUT",
  "REF_CHANGED",
  "REF_NAME_CONFLICT",
  "NOTHING_TO_COMMIT",
  "DIRTY",
  "TIMEOUT",
  "UNKNOWN",
] as const;

export type GitErrorCode = (typeof GIT_ERROR_CODES)[number];

export interface GitErrorInit {
  code: GitErrorCode;
  args: readonly string[];
  exitCode: number | null;
  stderr: string;
  message?: string;
}

export class GitError extends Error {
  override readonly name = "GitError";
  readonly code: GitErrorCode;
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly stderr: string;

  constructor(init: GitErrorInit) {
    const firstLine = init.stderr.trim().split("\n")[0] ?? "";
    super(init.message ?? `git ${init.args.join(" ")} failed (${init.code}): ${firstLine}`.trim());
    this.code = init.code;
    this.args = init.args;
    this.exitCode = init.exitCode;
    this.stderr = init.stderr;
  }
}

export const isGitError = (error: unknown, code?: GitErrorCode): error is GitError =>
  error instanceof GitError && (code === undefined || error.code === code);

/**
 * Order matters: "cannot lock ref … is at X but expected Y" is a lost compare-and-swap (REF_CHANGED),
 * while "cannot lock ref …: Unable to create '….lock': File exists" is a lock clash (LOCKED) that a
 * retry can cure. Git's messages are stable under LC_ALL=C, which the runner pins.
 */
const RULES: ReadonlyArray<readonly [RegExp, GitErrorCode]> = [
  [/not a git repository/i, "NOT_A_REPO"],
  [
    /cannot lock ref '[^']*': (is at [0-9a-f]+ but expected|reference already exists|unable to resolve reference)/,
    "REF_CHANGED",
  ],
  [/cannot lock ref '[^']*': '[^']*' exists; cannot create/, "REF_NAME_CONFLICT"],
  [/cannot lock ref '[^']*': there is a non-empty directory/, "REF_NAME_CONFLICT"],
  [/Unable to create '[^']*\.lock': File exists/, "LOCKED"],
  [/could not lock config file/, "LOCKED"],
  [/cannot lock ref/, "LOCKED"],
  [/unable to write new index file|index file open failed: Resource temporarily unavailable/, "LOCKED"],
  [
    /is already checked out at|is already used by worktree at|cannot force update the branch .* checked out at/,
    "BRANCH_CHECKED_OUT",
  ],
  [/a branch named '[^']*' already exists/, "BRANCH_EXISTS"],
  [/'[^']*' already exists|is a missing but (already registered|locked) worktree/, "WORKTREE_EXISTS"],
  [/CONFLICT \(|Automatic merge failed|needs merge|you need to resolve your current index first/, "CONFLICT"],
  [/nothing to commit|nothing added to commit|no changes added to commit/, "NOTHING_TO_COMMIT"],
  [
    /would be overwritten by (checkout|merge)|Your local changes to the following files|contains modified or untracked files/,
    "DIRTY",
  ],
  [
    /unknown revision|bad revision|ambiguous argument|Needed a single revision|not a valid object name|invalid reference|bad object|not a commit|not a valid commit name/i,
    "BAD_REVISION",
  ],
];

/**
 * Pure: maps git's stderr to a code. stdout is consulted only when stderr says nothing we know, because
 * git reports some outcomes there ("nothing to commit") and stdout may also hold arbitrary file content.
 */
export function classifyGitError(stderr: string, stdout = ""): GitErrorCode {
  for (const text of [stderr, stdout]) {
    for (const [pattern, code] of RULES) {
      if (pattern.test(text)) return code;
    }
  }
  return "UNKNOWN";
}
