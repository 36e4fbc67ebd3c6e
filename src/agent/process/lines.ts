import { StringDecoder } from "node:string_decoder";

/** A line longer than this is cut and delivered in pieces, so a newline-free stream stays bounded. */
const MAX_LINE = 1024 * 1024;

/**
 * Turns a byte stream into lines. `push` returns the complete lines in the chunk; the unterminated rest
 * waits for the next chunk (or `end`). The decoder keeps multi-byte characters split across chunks whole.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private partial = "";

  push(chunk: Buffer): string[] {
    const text = this.partial + this.decoder.write(chunk);
    const parts = text.split("\n");
    this.partial = parts.pop() ?? "";
    const lines = parts.map(stripCr);
    while (this.partial.length > MAX_LINE) {
      lines.push(this.partial.slice(0, MAX_LINE));
      this.partial = this.partial.slice(MAX_LINE);
    }
    return lines;
  }

  end(): string[] {
    const rest = this.partial + this.decoder.end();
    this.partial = "";
    return rest === "" ? [] : [stripCr(rest)];
  }
}

const stripCr = (line: string): string => (line.endsWith("\r") ? line.slice(0, -1) : line);
