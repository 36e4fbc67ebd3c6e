/**
 * Content written inline next to the path, the way short plans say it:
 *   `a.txt` with content: "File A content"        Create `b.txt` with content "Temporary file"
 * The quoted text is the content (double, single or curly quotes; one line).
 */
export function inlineContent(text: string, path: string): string | undefined {
  const re = new RegExp(
    "`?" +
      escapeRegExp(path) +
      "`?[^\\n]*?\\bwith\\s+(?:the\\s+)?content:?\\s*(?:\"([^\"\\n]*)\"|'([^'\\n]*)'|“([^”\\n]*)”)",
    "i",
  );
  const m = re.exec(text);
  if (!m) return undefined;
  return m[1] ?? m[2] ?? m[3];
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
