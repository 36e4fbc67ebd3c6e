/** Helpers shared by the readers of the agent CLIs' JSON-lines output. */

export type Json = Record<string, unknown>;

/** The line as a JSON object, or null for anything else (banners, warnings, partial lines). */
export function parseJsonObject(line: string): Json | null {
  const s = line.trim();
  if (!s.startsWith("{")) return null;
  try {
    const v: unknown = JSON.parse(s);
    return isRecord(v) ? v : null;
  } catch {
    return null;
  }
}

export const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

export const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined;

export const obj = (v: unknown): Json => (isRecord(v) ? v : {});

/** Adds b to a where b is a number; keeps a's absence when neither has one. */
export const add = (a: number | undefined, b: unknown): number | undefined => {
  const n = num(b);
  return n === undefined ? a : (a ?? 0) + n;
};

/**
 * Some CLIs pass an API's JSON error body on as their message (`{"error":{"message":"…"}}`); people
 * want the inner sentence.
 */
export function innerMessage(message: string): string {
  const s = message.trim();
  const start = s.indexOf("{");
  if (start < 0) return s;
  try {
    const parsed: unknown = JSON.parse(s.slice(start, s.lastIndexOf("}") + 1));
    const inner = str(obj(obj(parsed).error).message);
    return inner ? `${s.slice(0, start)}${inner}`.trim() : s;
  } catch {
    return s;
  }
}
