import { describe, expect, it } from "vitest";
import { ERROR_CODES, OrchardError } from "../../src/errors.js";

describe("error registry", () => {
  it("has exactly the codes the CLI and the API document (add deliberately)", () => {
    expect(Object.keys(ERROR_CODES)).toEqual([
      "USAGE",
      "PLAN_INVALID",
      "RUN_NOT_FOUND",
      "TASK_NOT_FOUND",
      "RUN_FINISHED",
      "RUN_BUSY",
      "REPO_INVALID",
      "AGENT_UNKNOWN",
      "PATH_OUTSIDE_ROOTS",
      "SANDBOX_UNAVAILABLE",
      "REQUEST_INVALID",
      "UNAUTHORIZED",
      "FORBIDDEN",
      "NOT_FOUND",
      "BODY_TOO_LARGE",
      "INTERNAL",
    ]);
  });

  it("maps user mistakes to exit 2 and a 4xx, bugs to exit 1 and a 500", () => {
    for (const [code, { exit, http }] of Object.entries(ERROR_CODES)) {
      if (code === "INTERNAL") expect([exit, http]).toEqual([1, 500]);
      else {
        expect(exit).toBe(2);
        expect(http).toBeGreaterThanOrEqual(400);
        expect(http).toBeLessThan(500);
      }
    }
    const e = new OrchardError("RUN_NOT_FOUND", "no run x");
    expect([e.exitCode, e.httpStatus, e.code]).toEqual([2, 404, "RUN_NOT_FOUND"]);
  });
});
