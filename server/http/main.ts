import http from "node:http";
import next from "next";
import { flushAudit } from "../audit/writer";
import { pruneAuditRows } from "../audit/prune";
import { getConfig } from "../config";
import { closeUpstreamPool } from "../proxy/http-client";
import { matchProxyRoute } from "../proxy/routes";
import { bootstrap } from "../runtime/bootstrap";
import { serveProxyRoute } from "./node-adapter";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `npm start`: one node:http server. The /api/v1 inference paths go straight to the proxy core;
 * everything else (console, tRPC, auth, health) goes to Next's request handler.
 */
async function main(): Promise<void> {
  const config = getConfig();
  const { generatedPassword } = await bootstrap();
  if (generatedPassword) console.log(`Initial admin password: ${generatedPassword}`);

  const nextApp = next({ dev: false, dir: config.appRoot, hostname: config.hostname, port: config.port });
  await nextApp.prepare();
  const handleNext = nextApp.getRequestHandler();

  const server = http.createServer((request, response) => {
    const pathname = (request.url ?? "/").split("?")[0]!;
    const route = matchProxyRoute(request.method ?? "GET", pathname);
    if (route) {
      serveProxyRoute(route, request, response).catch((error) => {
        console.error(JSON.stringify({ level: "error", msg: "proxy failure", error: String(error) }));
        if (!response.headersSent) response.writeHead(500).end();
        else response.destroy();
      });
      return;
    }
    handleNext(request, response).catch((error) => {
      console.error(JSON.stringify({ level: "error", msg: "console failure", error: String(error) }));
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 65_000;

  pruneAuditRows();
  setInterval(() => pruneAuditRows(), DAY_MS).unref();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(JSON.stringify({ level: "info", msg: "shutting down", signal }));
    server.close();
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
    force.unref();
    server.on("close", async () => {
      clearTimeout(force);
      flushAudit();
      await closeUpstreamPool().catch(() => undefined);
      process.exit(0);
    });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));

  server.listen(config.port, config.hostname, () => {
    console.log(`LLM Gateway listening on http://${config.hostname}:${config.port}`);
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
