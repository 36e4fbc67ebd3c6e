/**
 * The first program inside a sandbox that has a network gate (./gate.ts): it opens the loopback side of
 * the gate in the sandbox's own network namespace, then runs the command with the proxy in its
 * environment and ends as the command ends (same exit code, or same signal).
 *
 * argv: <gate dir> <comma-separated loopback ports> -- <command> [args…]
 */
import { spawn } from "node:child_process";
import { connect, createServer, type Server } from "node:net";
import { join } from "node:path";

const [gateDir, portList, dashdash, file, ...args] = process.argv.slice(2);
if (!gateDir || portList === undefined || dashdash !== "--" || !file) {
  process.stderr.write("orchard sandbox: usage: inside <gate dir> <ports> -- <command> [args…]\n");
  process.exit(127);
}

/** Listens on 127.0.0.1:`port` (0: any) and relays each connection to the Unix socket `target`. */
function relay(port: number, target: string): Promise<number> {
  const server: Server = createServer((inside) => {
    const out = connect(target);
    inside.pipe(out).pipe(inside);
    inside.on("error", () => out.destroy());
    out.on("error", () => inside.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.unref();
      resolve((server.address() as { port: number }).port);
    });
  });
}

const ports = portList ? portList.split(",").map(Number) : [];
await Promise.all(
  ports.map((p) =>
    relay(p, join(gateDir, `port-${p}.sock`)).catch((err: Error) => {
      // Ports below 1024 need a capability the sandbox does not keep; the proxy still reaches them.
      process.stderr.write(`orchard sandbox: no relay for 127.0.0.1:${p} (${err.message}); use HTTP_PROXY\n`);
    }),
  ),
);
const proxyPort = await relay(0, join(gateDir, "proxy.sock"));
const proxy = `http://127.0.0.1:${proxyPort}`;
const child = spawn(file, args, {
  stdio: "inherit",
  env: {
    ...process.env,
    HTTP_PROXY: proxy,
    HTTPS_PROXY: proxy,
    http_proxy: proxy,
    https_proxy: proxy,
    // Loopback goes straight to the relays above (or to servers the command starts itself).
    NO_PROXY: "localhost,127.0.0.1,::1",
    no_proxy: "localhost,127.0.0.1,::1",
  },
});
for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(sig, () => child.kill(sig));
child.once("error", (err) => {
  process.stderr.write(`orchard sandbox: could not start ${file}: ${err.message}\n`);
  process.exit(127);
});
child.once("exit", (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
});
