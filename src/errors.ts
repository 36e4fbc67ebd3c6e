/**
 * One registry of error codes. Each code has the exit code the CLI uses and the HTTP status the API uses.
 * Messages say what to do. A test pins the registry so codes are only ever added deliberately.
 */
export const ERROR_CODES = {
  USAGE: { exit: 2, http: 400 },
  PLAN_INVALID: { exit: 2, http: 422 },
  RUN_NOT_FOUND: { exit: 2, http: 404 },
  TASK_NOT_FOUND: { exit: 2, http: 404 },
  RUN_FINISHED: { exit: 2, http: 409 },
  RUN_BUSY: { exit: 2, http: 409 },
  REPO_INVALID: { exit: 2, http: 422 },
  AGENT_UNKNOWN: { exit: 2, http: 422 },
  PATH_OUTSIDE_ROOTS: { exit: 2, http: 403 },
  SANDBOX_UNAVAILABLE: { exit: 2, http: 422 },
  /** The API: a request that does not match its schema, a missing or wrong token, an unknown route, a body too large. */
  REQUEST_INVALID: { exit: 2, http: 422 },
  UNAUTHORIZED: { exit: 2, http: 401 },
  /** The API: a request a browser was made to send by another site, or for a host name that is not this server. */
  FORBIDDEN: { exit: 2, http: 403 },
  NOT_FOUND: { exit: 2, http: 404 },
  BODY_TOO_LARGE: { exit: 2, http: 413 },
  INTERNAL: { exit: 1, http: 500 },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class OrchardError extends Error {
  override readonly name = "OrchardError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }
  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }
}

export const usageError = (message: string) => new OrchardError("USAGE", message);
