import { describe, expect, it } from "vitest";
import {
  allowList,
  isAllowed,
  loopbackPorts,
  parseAllowedHost,
} from "../../../../src/agent/sandbox/hosts.js";

describe("the sandbox's allow list", () => {
  it("parses host, host:port and *.domain, and says what to write for anything else", () => {
    expect(parseAllowedHost("Registry.npmjs.org")).toEqual({ host: "registry.npmjs.org" });
    expect(parseAllowedHost("127.0.0.1:8080")).toEqual({ host: "127.0.0.1", port: 8080 });
    expect(parseAllowedHost("*.githubusercontent.com")).toEqual({ host: "*.githubusercontent.com" });
    expect(() => parseAllowedHost("http://example.com")).toThrow(/write host, host:port or \*\.domain/);
    expect(() => parseAllowedHost("example.com:70000")).toThrow(/write host/);
    expect(() => parseAllowedHost("localhost")).toThrow(/a loopback host needs its port/);
  });

  it("a host without a port allows 443 and 80 only; loopback names are one host; subdomains by wildcard", () => {
    const list = ["api.example.com", "localhost:9000", "*.cdn.example"].map(parseAllowedHost);
    expect(isAllowed(list, "api.example.com", 443)).toBe(true);
    expect(isAllowed(list, "api.example.com", 80)).toBe(true);
    expect(isAllowed(list, "api.example.com", 22)).toBe(false);
    expect(isAllowed(list, "evil.example.com", 443)).toBe(false);
    expect(isAllowed(list, "127.0.0.1", 9000)).toBe(true);
    expect(isAllowed(list, "127.0.0.1", 9001)).toBe(false);
    expect(isAllowed(list, "a.cdn.example", 443)).toBe(true);
    expect(isAllowed(list, "cdn.example", 443)).toBe(false);
    expect(loopbackPorts(list)).toEqual([9000]);
  });

  it("adds the agents' model APIs and the hosts of base-URL variables", () => {
    const list = allowList({
      allowHosts: [],
      binaries: ["claude", undefined],
      env: { ANTHROPIC_BASE_URL: "http://127.0.0.1:4567", OPENAI_BASE_URL: "not a url" },
    });
    expect(isAllowed(list, "api.anthropic.com", 443)).toBe(true);
    expect(isAllowed(list, "127.0.0.1", 4567)).toBe(true);
    expect(isAllowed(list, "api.openai.com", 443)).toBe(false);
    expect(allowList({ allowHosts: [], binaries: [undefined], env: {} })).toEqual([]);
  });
});
