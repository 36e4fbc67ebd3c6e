import type { Nodes } from "mdast";

/**
 * The plain text of mdast content, as mdast-util-to-string gives it by default (literal values, image
 * alts, children in order), without its options and the array it joins on every call: the parser asks
 * for the text of most inline nodes it reads, tens of thousands of times in a large plan.
 */
export function textOf(value: Nodes | Nodes[] | null | undefined): string {
  if (!value || typeof value !== "object") return "";
  if (Array.isArray(value)) return textOfAll(value);
  if ("value" in value) return value.value ?? "";
  if ("alt" in value && value.alt) return value.alt;
  if ("children" in value) return textOfAll(value.children);
  return "";
}

function textOfAll(values: Nodes[]): string {
  if (values.length === 1) return textOf(values[0]);
  let out = "";
  for (const v of values) out += textOf(v);
  return out;
}
