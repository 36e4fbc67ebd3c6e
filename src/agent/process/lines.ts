import { StringDecoder } from "node:string_decoder";

/** A line longer than this is cut and delivered in pieces, so a newline-free stream stays bounded. */
const MAX_LINE = 1024 * 1024;

/** Masks secrets in a text; `secrets` are what it masks (for cutting between them, never inside one). */
export interface Scrubber {
  (text: string): string;
  secrets: readonly string[];
}

const noScrub: Scrubber = Object.assign((text: string) => text, { secrets: [] });

/**
 * Turns a byte stream into scrubbed lines. `push` returns the complete lines in the chunk; the
 * unterminated rest waits for the next chunk (or `end`). The decoder keeps multi-byte characters split
 * across chunks whole. Secrets are masked before a long line is cut, and the cut is moved back to
 * where a secret might begin, so that no piece holds part of one (issue 20, item 8).
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private partial = "";

  constructor(private readonly scrub: Scrubber = noScrub) {}

  push(chunk: Buffer): string[] {
    const text = this.partial + this.decoder.write(chunk);
    const parts = text.split("\n");
    this.partial = parts.pop() ?? "";
    const lines = parts.map((line) => this.scrub(stripCr(line)));
    if (this.partial.length > MAX_LINE) this.partial = this.scrub(this.partial);
    while (this.partial.length > MAX_LINE) {
      const cut = safeCut(this.partial, MAX_LINE, this.scrub.secrets);
      lines.push(this.partial.slice(0, cut));
      this.partial = this.partial.slice(cut);
    }
    return lines;
  }

  end(): string[] {
    const rest = this.partial + this.decoder.end();
    this.partial = "";
    return rest === "" ? [] : [this.scrub(stripCr(rest))];
  }
}

/**
 * Where to cut `text` (already scrubbed) at or before `at`: before any tail of the piece that is the
 * beginning of a secret, which the text after the cut might complete.
 */
export function safeCut(text: string, at: number, secrets: readonly string[]): number {
  let cut = at;
  for (let moved = true; moved && cut > 0; ) {
    moved = false;
    for (const secret of secrets) {
      for (let k = Math.min(secret.length - 1, cut); k > 0; k--) {
        if (text.startsWith(secret.slice(0, k), cut - k)) {
          cut -= k;
          moved = true;
          break;
        }
      }
    }
  }
  return cut > 0 ? cut : at;
}

const stripCr = (line: string): string => (line.endsWith("\r") ? line.slice(0, -1) : line);
