import { afterEach, describe, expect, it } from "vitest";
import {
  parseStoreUrl,
  redactError,
  redactStoreUrl,
  selectedStoreUrl,
  useStoreUrl,
} from "../../../src/store/url.js";

afterEach(() => useStoreUrl(undefined));

describe("store URLs (issue 25 item 1)", () => {
  it("redacts the password and password parameters, keeps the rest", () => {
    expect(redactStoreUrl("postgres://u:s3cret@db.example:5432/orchard")).toBe(
      "postgres://u:***@db.example:5432/orchard",
    );
    expect(redactStoreUrl("postgres://u@h/db?password=s3cret&sslmode=require")).toBe(
      "postgres://u@h/db?password=***&sslmode=require",
    );
    expect(redactStoreUrl("postgres://u@h/db")).toBe("postgres://u@h/db");
    expect(redactStoreUrl("not a url //u:s3cret@x")).not.toContain("s3cret");
  });

  it("takes the password out of an error's message and stack", () => {
    const url = "postgres://u:p%40ss@h/db";
    const error = redactError(new Error(`failed on ${url}, password p@ss`), url) as Error;
    expect(error.message).not.toContain("p@ss");
    expect(error.message).not.toContain("p%40ss");
    expect(error.stack).not.toContain("p@ss");
  });

  it("accepts PostgreSQL URLs only, naming what to fix", () => {
    expect(parseStoreUrl("postgresql://u@h/db")).toBe("postgresql://u@h/db");
    expect(() => parseStoreUrl("mysql://u:pw@h/db")).toThrow(/only PostgreSQL/);
    expect(() => parseStoreUrl("nonsense")).toThrow(/not a URL/);
    useStoreUrl("postgres://u@h/db");
    expect(selectedStoreUrl()).toBe("postgres://u@h/db");
    useStoreUrl("");
    expect(selectedStoreUrl()).toBeUndefined();
  });
});
