import { readdir, readFile } from "node:fs/promises";

/**
 * Samples every process's argv (/proc/<pid>/cmdline) until stopped, so a test can prove a secret never
 * appeared in one, and that the children it cares about were seen at all.
 */
export function sampleArgv(): { pass(): Promise<void>; stop(): Promise<string[]> } {
  const seen = new Set<string>();
  let running = true;
  let waiters: Array<() => void> = [];
  const loop = (async () => {
    while (running) {
      const done = waiters;
      waiters = [];
      for (const pid of await readdir("/proc").catch(() => [])) {
        if (!/^\d+$/.test(pid)) continue;
        const argv = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
        if (argv) seen.add(argv.replaceAll("\0", " ").trim());
      }
      for (const resolve of done) resolve();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    /** Resolves after a whole pass over /proc that began after this call. */
    pass: () => new Promise<void>((resolve) => waiters.push(resolve)),
    async stop() {
      running = false;
      await loop;
      return [...seen];
    },
  };
}
