/**
 * Drives `orchard serve` for tests: a real server on a real port (in-process, or as a child process),
 * a small HTTP client that keeps every response, and the checks of those responses against the
 * server's own OpenAPI document.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { type RunningServer, type ServerConfig, startServer } from "../../src/server/index.js";

export async function serveRepo(repo: string, over: Partial<ServerConfig> = {}): Promise<RunningServer> {
  return startServer({
    repo,
    host: "127.0.0.1",
    port: 0,
    planRoots: [repo],
    workers: 2,
    runOptions: { agent: "scripted", maxAttempts: 1 },
    token: null,
    corsOrigins: [],
    bodyLimit: 64 * 1024,
    heartbeatMs: 200,
    pollMs: 40,
    maxStreamBufferBytes: 1024 * 1024,
    streamDrainTimeoutMs: 30_000,
    version: "0.0.0-test",
    logger: false,
    ...over,
  });
}

export interface Exchange {
  method: string;
  path: string;
  status: number;
  contentType: string;
  text: string;
  body: unknown;
}

/** A client that records every exchange, for the secret grep and the OpenAPI check at the end. */
export class Client {
  readonly seen: Exchange[] = [];
  constructor(
    readonly base: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        ...this.headers,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    const contentType = res.headers.get("content-type") ?? "";
    const parsed = contentType.includes("json") ? JSON.parse(text) : text;
    const exchange = { method, path, status: res.status, contentType, text, body: parsed };
    this.seen.push(exchange);
    // biome-ignore lint/suspicious/noExplicitAny: tests read response fields directly; the OpenAPI check types them
    return exchange as Exchange & { body: any };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request("GET", path, undefined, headers);
  }

  post(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request("POST", path, body ?? {}, headers);
  }
}

/** Polls until `check` returns a value (not undefined); fails after `ms`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type OpenApi = {
  // biome-ignore lint/suspicious/noExplicitAny: an OpenAPI response object, walked by hand
  paths: Record<string, Record<string, { responses: Record<string, any> }>>;
  components?: { schemas?: Record<string, unknown> };
};

/** Checks each JSON response against the schema its route and status declare in the document. */
export function checkAgainstOpenApi(doc: OpenApi, exchanges: Exchange[]): string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ $id: "doc", components: doc.components ?? {} });
  const templates = Object.keys(doc.paths).map((t) => ({
    t,
    re: new RegExp(`^${t.replace(/\{[^}]+\}/g, "[^/]+")}$`),
  }));
  const problems: string[] = [];
  for (const x of exchanges) {
    if (!x.contentType.includes("json")) continue;
    const path = x.path.split("?")[0]!;
    const template = templates.find((c) => c.re.test(path))?.t;
    if (!template) {
      if (x.status !== 404) problems.push(`${x.method} ${path}: no such path in the document`);
      continue;
    }
    const op = doc.paths[template]![x.method.toLowerCase()];
    const response = op?.responses[String(x.status)];
    const schema = response?.content?.["application/json"]?.schema;
    if (!schema) {
      problems.push(`${x.method} ${template} ${x.status}: not declared`);
      continue;
    }
    const validate = ajv.compile(rewriteRefs(schema));
    if (!validate(x.body)) {
      problems.push(`${x.method} ${template} ${x.status}: ${ajv.errorsText(validate.errors)}`);
    }
  }
  return problems;
}

function rewriteRefs(schema: unknown): object {
  return JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/components', '"$ref":"doc#/components'));
}

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/**
 * Reads a server-sent-event stream until `until` says stop (or the server ends it); returns the events
 * and every comment line seen. Aborts the request when done, as a client that goes away does.
 */
export async function readSse(
  url: string,
  until: (events: SseEvent[], comments: string[]) => boolean,
  headers: Record<string, string> = {},
): Promise<{ events: SseEvent[]; comments: string[]; status: number; contentType: string }> {
  const aborter = new AbortController();
  const res = await fetch(url, { headers, signal: aborter.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const contentType = res.headers.get("content-type") ?? "";
  if (!res.body || !contentType.startsWith("text/event-stream")) {
    return { events, comments, status: res.status, contentType };
  }
  const decoder = new TextDecoder();
  let buffer = "";
  let current: SseEvent = { data: "" };
  let hasData = false;
  try {
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let nl = buffer.indexOf("\n");
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === "") {
          if (hasData) events.push(current);
          current = { data: "" };
          hasData = false;
        } else if (line.startsWith(":")) comments.push(line);
        else {
          const colon = line.indexOf(":");
          const field = line.slice(0, colon);
          const value = line.slice(colon + 1).replace(/^ /, "");
          if (field === "data") {
            current.data = hasData ? `${current.data}\n${value}` : value;
            hasData = true;
          } else if (field === "id") current.id = value;
          else if (field === "event") current.event = value;
        }
        nl = buffer.indexOf("\n");
      }
      if (until(events, comments)) break;
    }
  } finally {
    aborter.abort();
  }
  return { events, comments, status: res.status, contentType };
}
