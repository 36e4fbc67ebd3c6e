/**
 * The network allow list: `host` or `host:port` entries (`*.example.com` for subdomains). A host without
 * a port allows 443 and 80; a loopback entry needs its port (a scripted model server, a local registry).
 */
export interface AllowedHost {
  host: string;
  /** undefined: 443 and 80. */
  port?: number;
}

/** The model APIs each agent CLI calls by default, by its preset's binary. */
const MODEL_HOSTS: Record<string, string[]> = {
  claude: ["api.anthropic.com"],
  codex: ["api.openai.com", "chatgpt.com"],
  gemini: ["generativelanguage.googleapis.com", "oauth2.googleapis.com"],
  opencode: ["api.anthropic.com", "api.openai.com", "opencode.ai"],
  aider: ["api.anthropic.com", "api.openai.com"],
};

/** Environment variables that point a CLI at another model API: their hosts are allowed too. */
const BASE_URL_VARS = [
  "ANTHROPIC_BASE_URL",
  "OPENAI_BASE_URL",
  "OPENAI_API_BASE",
  "GOOGLE_GEMINI_BASE_URL",
  "GEMINI_BASE_URL",
];

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
export const isLoopback = (host: string) => LOOPBACK.has(host.toLowerCase());

/** Parses one `--allow-host` entry; throws with what to write instead. */
export function parseAllowedHost(entry: string): AllowedHost {
  const text = entry.trim().toLowerCase();
  const m = /^(\*\.)?([a-z0-9.-]+|\[[0-9a-f:]+\])(?::(\d{1,5}))?$/.exec(text);
  const port = m?.[3] === undefined ? undefined : Number(m[3]);
  if (!m || (port !== undefined && (port < 1 || port > 65535))) {
    throw new Error(
      `--allow-host "${entry}": write host, host:port or *.domain (e.g. registry.npmjs.org:443)`,
    );
  }
  const host = `${m[1] ?? ""}${m[2]}`;
  if (isLoopback(host) && port === undefined) {
    throw new Error(`--allow-host "${entry}": a loopback host needs its port (e.g. 127.0.0.1:8080)`);
  }
  return port === undefined ? { host } : { host, port };
}

/** The allow list of a run: the user's entries, the agents' model APIs, and hosts of base-URL variables. */
export function allowList(input: {
  allowHosts: readonly string[];
  binaries: readonly (string | undefined)[];
  env: NodeJS.ProcessEnv;
}): AllowedHost[] {
  const list = input.allowHosts.map(parseAllowedHost);
  for (const binary of input.binaries) {
    for (const host of (binary && MODEL_HOSTS[binary]) || []) list.push({ host });
  }
  for (const name of BASE_URL_VARS) {
    const value = input.env[name];
    if (!value) continue;
    try {
      const url = new URL(value);
      const port = url.port ? Number(url.port) : url.protocol === "http:" ? 80 : 443;
      list.push({ host: url.hostname.toLowerCase(), port });
    } catch {
      // Not a URL: the CLI will say so itself.
    }
  }
  return list;
}

/** Whether `host:port` may be reached. */
export function isAllowed(list: readonly AllowedHost[], host: string, port: number): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return list.some((a) => {
    const portOk = a.port === undefined ? port === 443 || port === 80 : a.port === port;
    if (!portOk) return false;
    if (a.host.startsWith("*.")) return h.endsWith(a.host.slice(1));
    return a.host === h || (isLoopback(a.host) && isLoopback(h));
  });
}

/** The loopback ports of the list: each gets a relay inside the sandbox. */
export function loopbackPorts(list: readonly AllowedHost[]): number[] {
  const ports = list.filter((a) => isLoopback(a.host) && a.port !== undefined).map((a) => a.port!);
  return [...new Set(ports)].sort((a, b) => a - b);
}
