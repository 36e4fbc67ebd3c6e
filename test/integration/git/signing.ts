import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";

let made: Promise<{ home: string; id: string } | null> | null = null;

/**
 * A throwaway gpg key (no passphrase) in a temporary GNUPGHOME, made once per test file; null when gpg
 * is not installed (the signing tests then have nothing to check against).
 */
export function gpgKey(): Promise<{ home: string; id: string } | null> {
  made ??= (async () => {
    const home = await mkdtemp(join(tmpdir(), "orchard-gpg-"));
    const env = { ...process.env, GNUPGHOME: home };
    try {
      await execa(
        "gpg",
        [
          "--batch",
          "--passphrase",
          "",
          "--quick-gen-key",
          "Orchard Test <sign@example.com>",
          "ed25519",
          "sign",
          "never",
        ],
        { env },
      );
    } catch {
      return null;
    }
    const { stdout } = await execa("gpg", ["--batch", "--list-secret-keys", "--with-colons"], { env });
    const fpr = /^fpr:+([0-9A-F]+):/m.exec(stdout)?.[1];
    return fpr ? { home, id: fpr } : null;
  })();
  return made;
}
