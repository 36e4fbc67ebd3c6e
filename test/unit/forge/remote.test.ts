import { describe, expect, it } from "vitest";
import { isForgeError, isHttpRemote, parseRemote, redactUrl } from "../../../src/forge/index.js";

describe("parseRemote", () => {
  it.each([
    ["https://github.com/acme/widgets.git", "acme", "widgets"],
    ["https://github.com/acme/widgets", "acme", "widgets"],
    ["git@github.com:acme/widgets.git", "acme", "widgets"],
    ["ssh://git@github.com/acme/widgets.git", "acme", "widgets"],
    ["https://ghe.example.com/scm/acme/widgets.git/", "acme", "widgets"],
  ])("reads owner and repository from %s", (url, owner, repo) => {
    expect(parseRemote(url)).toEqual({ owner, repo });
  });

  it("refuses a URL without owner/repo, without echoing credentials in it", () => {
    const error = (() => {
      try {
        parseRemote("https://user:ghp_secret@github.com/widgets");
      } catch (e) {
        return e;
      }
    })();
    expect(isForgeError(error, "REMOTE_INVALID")).toBe(true);
    expect(String((error as Error).message)).not.toContain("ghp_secret");
  });
});

describe("remote URLs", () => {
  it("redacts credentials written into a URL", () => {
    expect(redactUrl("https://x-access-token:ghp_abc@github.com/a/b.git")).toBe(
      "https://***@github.com/a/b.git",
    );
    expect(redactUrl("git@github.com:a/b.git")).toBe("git@github.com:a/b.git");
  });
  it("tells HTTP remotes (token) from ssh ones (keys)", () => {
    expect(isHttpRemote("https://github.com/a/b.git")).toBe(true);
    expect(isHttpRemote("git@github.com:a/b.git")).toBe(false);
  });
});
