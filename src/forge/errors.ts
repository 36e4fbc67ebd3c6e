/** What went wrong talking to GitHub, as a closed set callers branch on (never on message text). */
export const FORGE_ERROR_CODES = [
  /** No token, or GitHub refused it (401, or a push whose credentials were rejected). */
  "AUTH",
  /** The remote is not a GitHub repository Orchard can address (no owner/name in its URL). */
  "REMOTE_INVALID",
  /** A push lost its lease: the branch on GitHub is not where Orchard last left it. */
  "LEASE_LOST",
  /** Any other push failure (network, hooks, protection). */
  "PUSH_FAILED",
  /** An API answer Orchard has no way forward from. */
  "API",
] as const;

export type ForgeErrorCode = (typeof FORGE_ERROR_CODES)[number];

export class ForgeError extends Error {
  override readonly name = "ForgeError";
  constructor(
    readonly code: ForgeErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export const isForgeError = (error: unknown, code?: ForgeErrorCode): error is ForgeError =>
  error instanceof ForgeError && (code === undefined || error.code === code);

/** An Octokit RequestError's status, or undefined for anything else. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

/** GitHub's own words for a refusal: the body's message and its validation errors, never headers. */
export function githubReason(error: unknown): string {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data as
    | { message?: string; errors?: Array<{ message?: string; code?: string; field?: string }> }
    | undefined;
  const details = (data?.errors ?? []).map((e) => e.message ?? [e.field, e.code].filter(Boolean).join(" "));
  const message = data?.message ?? (error instanceof Error ? error.message : String(error));
  return details.length > 0 ? `${message}: ${details.join("; ")}` : message;
}
