import { mkdtempSync, rmSync } from "node:fs";
import {
  createServer as createHttpServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
} from "node:http";
import { connect, createServer, type Server as NetServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AllowedHost, isAllowed, loopbackPorts } from "./hosts.js";

/**
 * The sandbox's only way out, on the host's side of its network namespace: Unix sockets in one directory
 * that is bound into every sandbox of the run.
 * - `proxy.sock`: an HTTP proxy (CONNECT for TLS, absolute-URI requests for plain HTTP) that reaches only
 *   hosts on the allow list and answers 403 for the rest.
 * - `port-<n>.sock`: one relay to the host's 127.0.0.1:<n> for each allowed loopback port, so that a client
 *   that ignores proxies (or bypasses them for loopback) still reaches a configured local server.
 */
export interface NetGate {
  /** The directory of the sockets (bind it into the sandbox at the same path). */
  dir: string;
  ports: number[];
  close(): Promise<void>;
}

export async function openGate(allow: readonly AllowedHost[]): Promise<NetGate> {
  const dir = mkdtempSync(join(tmpdir(), "orchard-net-"));
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
    s.on("error", () => s.destroy());
  };
  const servers: (Server | NetServer)[] = [];
  const proxy = createHttpServer((req, res) => forward(req, res, allow));
  proxy.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    track(client);
    const [host, port] = splitHostPort(req.url ?? "");
    if (!host || !port || !isAllowed(allow, host, port)) {
      client.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\n${refusal(req.url ?? "")}`);
      return;
    }
    const upstream = connect(port, host);
    track(upstream);
    upstream.once("connect", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.once("error", () => client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n"));
  });
  proxy.on("connection", track);
  servers.push(proxy);
  const ports = loopbackPorts(allow);
  for (const port of ports) {
    const relay = createServer((inside) => {
      track(inside);
      const upstream = connect(port, "127.0.0.1");
      track(upstream);
      inside.pipe(upstream).pipe(inside);
      upstream.once("close", () => inside.destroy());
      inside.once("close", () => upstream.destroy());
    });
    servers.push(relay);
  }
  await Promise.all(
    servers.map(
      (s, i) =>
        new Promise<void>((resolve, reject) => {
          s.once("error", reject);
          s.listen(join(dir, i === 0 ? "proxy.sock" : `port-${ports[i - 1]}.sock`), () => resolve());
        }),
    ),
  );
  return {
    dir,
    ports,
    close: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Plain HTTP through the proxy: `GET http://host:port/path`. */
function forward(
  req: IncomingMessage,
  res: import("node:http").ServerResponse,
  allow: readonly AllowedHost[],
) {
  let url: URL;
  try {
    url = new URL(req.url ?? "");
  } catch {
    res.writeHead(400).end("the sandbox's proxy takes absolute URLs only\n");
    return;
  }
  const port = url.port ? Number(url.port) : 80;
  if (url.protocol !== "http:" || !isAllowed(allow, url.hostname, port)) {
    res.writeHead(403, { "content-type": "text/plain" }).end(refusal(`${url.hostname}:${port}`));
    return;
  }
  const upstream = httpRequest(
    {
      host: url.hostname,
      port,
      method: req.method,
      path: `${url.pathname}${url.search}`,
      headers: req.headers,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.once("error", () => res.writeHead(502).end());
  req.pipe(upstream);
}

const refusal = (target: string) =>
  `Orchard's sandbox refused ${target}: not on the allow list (add it with --allow-host)\n`;

function splitHostPort(target: string): [string | undefined, number | undefined] {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
  return m ? [m[1], Number(m[2])] : [undefined, undefined];
}
