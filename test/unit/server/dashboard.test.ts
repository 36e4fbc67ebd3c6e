import { describe, expect, it } from "vitest";
import { renderDiff } from "../../../src/server/dashboard/diff.js";
import { cookieToken, safeNext } from "../../../src/server/dashboard/guard.js";
import { html } from "../../../src/server/dashboard/html.js";
import { timelineSvg } from "../../../src/server/dashboard/timeline.js";

const DIFF = `diff --git a/src/x.ts b/src/x.ts
index 1111111..2222222 100644
--- a/src/x.ts
+++ b/src/x.ts
@@ -1,2 +1,2 @@
-const a = "<b>";
+const a = "<script>alert(1)</script>";
 export { a };
`;

describe("dashboard: diff", () => {
  it("highlights each code line in its file's language and escapes what the code says", () => {
    const out = renderDiff(DIFF);
    expect(out).toContain("d2h-file-wrapper");
    expect(out).toContain('<span class="hljs-keyword">const</span>');
    expect(out).toContain(
      '<span class="hljs-string">&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;</span>',
    );
    expect(out).not.toContain("<script>");
  });

  it("leaves files in a language it does not know plain (still escaped)", () => {
    const out = renderDiff(DIFF.replaceAll("src/x.ts", "notes.unknownlang"));
    expect(out).not.toContain("hljs-");
    expect(out).not.toContain("<script>");
  });
});

describe("dashboard: html", () => {
  it("escapes every interpolated value", () => {
    expect(html`<p title="${'"x"'}">${"<b>&</b>"}</p>`.text).toBe(
      '<p title="&quot;x&quot;">&lt;b&gt;&amp;&lt;/b&gt;</p>',
    );
  });
});

describe("dashboard: login cookie and redirect target", () => {
  it("reads the token cookie among others", () => {
    expect(cookieToken("a=1; orchard_token=t%3Dk; b=2")).toBe("t=k");
    expect(cookieToken("a=1")).toBeNull();
    expect(cookieToken(undefined)).toBeNull();
  });

  it("sends back only to a dashboard path of this server", () => {
    expect(safeNext("/ui/runs/x")).toBe("/ui/runs/x");
    expect(safeNext("//evil.example/ui/")).toBe("/ui/");
    expect(safeNext("https://evil.example/")).toBe("/ui/");
    expect(safeNext("/api/runs")).toBe("/ui/");
    expect(safeNext(undefined)).toBe("/ui/");
  });
});

describe("dashboard: timeline", () => {
  const a = (
    taskId: string,
    slotId: string,
    status: string,
    startedAt: number,
    finishedAt: number | null,
  ) => ({
    taskId,
    attempt: 1,
    slotId,
    workerId: "host-a:1",
    status,
    startedAt,
    finishedAt,
  });

  it("draws a lane per slot, a labelled bar per attempt and a mark per merge", () => {
    const svg = timelineSvg(
      [
        a("1.1", "wt-1", "succeeded", 0, 1000),
        a("1.2", "wt-2", "failed", 200, 900),
        a("1.3", "wt-1", "running", 1000, null),
      ],
      [{ taskId: "1.1", at: 1100 }],
      2000,
    ).text;
    expect(svg.match(/class="lane-label"/g)).toHaveLength(2);
    expect(svg.match(/<g class="bar"/g)).toHaveLength(3);
    expect(svg).toContain(">1.1 #1 ok</text>");
    expect(svg).toContain(">1.2 #1 failed</text>");
    expect(svg).toContain(">1.3 #1 running</text>");
    expect(svg).toContain('data-end="2000"');
    expect(svg.match(/<g class="merge"/g)).toHaveLength(1);
  });

  it("names the host in a lane once several hosts ran attempts", () => {
    const svg = timelineSvg(
      [
        a("1.1", "wt-1", "succeeded", 0, 10),
        { ...a("1.2", "wt-1", "succeeded", 0, 10), workerId: "host-b:2" },
      ],
      [],
      20,
    ).text;
    expect(svg).toContain('data-lane="host-a wt-1"');
    expect(svg).toContain('data-lane="host-b wt-1"');
  });

  it("says so when nothing has started", () => {
    expect(timelineSvg([], [], 0).text).toContain("No attempt has started yet");
  });
});
