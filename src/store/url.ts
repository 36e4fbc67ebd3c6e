import { OrchardError } from "../errors.js";

/**
 * The store a process was told to use (`--store URL` or `ORCHARD_STORE_URL`), held here and not in
 * process.env: children (agents, git, verifiers) inherit the environment, and a password in it must
 * never reach them (issue 25). Undefined: the repository's embedded SQLite store.
 */
let selected: string | undefined;

/** A PostgreSQL URL (`postgres://` or `postgresql://`), refused in words that say what to fix. */
export function parseStoreUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OrchardError(
      "USAGE",
      `--store: not a URL (${redactStoreUrl(url)}); give postgres://user@host:5432/db`,
    );
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new OrchardError(
      "USAGE",
      `--store: only PostgreSQL URLs are supported (postgres://…), got ${parsed.protocol}//…; leave it out for the repository's embedded SQLite store`,
    );
  }
  return url;
}

/** Chooses the store for this process; `undefined` goes back to the embedded SQLite store. */
export function useStoreUrl(url: string | undefined): void {
  selected = url === undefined || url === "" ? undefined : parseStoreUrl(url);
}

export function selectedStoreUrl(): string | undefined {
  return selected;
}

/** The URL with its password (and any `password=` parameter) replaced by `***`: safe to print or log. */
export function redactStoreUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass/i.test(key)) parsed.searchParams.set(key, "***");
    }
    return parsed.toString();
  } catch {
    // Not a URL: hide anything between "//" and "@", and any password= value.
    return url.replace(/\/\/[^@/]*@/, "//***@").replace(/(pass[a-z]*=)[^&\s]*/gi, "$1***");
  }
}

/** An error whose message or stack may quote the URL, with the password taken out. */
export function redactError(error: unknown, url: string): unknown {
  let password: string | undefined;
  try {
    password = decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    password = undefined;
  }
  if (!(error instanceof Error)) return error;
  const scrub = (s: string) => {
    let out = s.split(url).join(redactStoreUrl(url));
    if (password !== undefined) out = out.split(password).join("***");
    return out;
  };
  error.message = scrub(error.message);
  if (error.stack !== undefined) error.stack = scrub(error.stack);
  return error;
}
