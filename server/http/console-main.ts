import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import next from "next";
import { getConfig } from "../config";
import { log } from "../ops/log";

/**
 * The console process: Next's request handler on a private Unix socket, started by the lean
 * server (main.ts), which relays every non-inference request to it. Keeping Next out of the
 * inference process keeps its request-context hooks and page rendering off the hot path.
 */
async function main(): Promise<void> {
  const socketPath = process.argv[2];
  if (!socketPath || !process.send) throw new Error("the console process is started by the gateway server");
  const config = getConfig();
  const nextApp = next({ dev: false, dir: config.appRoot, hostname: config.hostname, port: config.port });
  await nextApp.prepare();
  const handleNext = nextApp.getRequestHandler();
  const server = http.createServer((request, response) => {
    handleNext(request, response).catch((error: unknown) => {
      log.error({ msg: "console failure", error: error instanceof Error ? error.message : String(error) });
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  // The gateway server decides when this process ends; a terminal's Ctrl-C reaches both.
  process.on("SIGINT", () => undefined);
  process.on("SIGTERM", () => server.close(() => process.exit(0)).closeAllConnections());
  // The server is gone without stopping us (killed): leave no socket directory behind.
  process.on("disconnect", () => {
    fs.rmSync(path.dirname(socketPath), { recursive: true, force: true });
    process.exit(0);
  });
  server.listen(socketPath, () => process.send!({ ready: true }));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
