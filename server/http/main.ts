import http from "node:http";
import { pruneAuditRows } from "../audit/prune";
import { flushAudit } from "../audit/writer";
import { getConfig } from "../config";
import { log } from "../ops/log";
import { metricsResponse } from "../ops/metrics-endpoint";
import { inFlightInferenceCalls } from "../proxy/audit";
import { closeUpstreamPool } from "../proxy/http-client";
import { matchProxyRoute } from "../proxy/routes";
import { bootstrap } from "../runtime/bootstrap";
import { forwardedClientIp, installEdgePolicy } from "./client-ip";
import { startConsoleProcess } from "./console-process";
import { serveProxyRoute } from "./node-adapter";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `npm start`: one node:http server. The /api/v1 inference paths (and /metrics) go straight to the
 * proxy core; everything else (console, tRPC, auth, health) is relayed to Next's request handler
 * in the console process, so page rendering and Next's request-context hooks never run here.
 */
async function main(): Promise<void> {
  const config = getConfig();
  installEdgePolicy();
  const { generatedPassword } = await bootstrap();
  if (generatedPassword) console.log(`Initial admin password: ${generatedPassword}`);

  const consoleProcess = await startConsoleProcess();

  // A fast provider's burst (a whole short answer) fits the socket buffer without pausing the
  // upstream for a drain; a slow client still holds at most 64 KiB before the upstream is paused.
  const server = http.createServer({ highWaterMark: 64 * 1024 }, (request, response) => {
    const pathname = (request.url ?? "/").split("?")[0]!;
    const route = matchProxyRoute(request.method ?? "GET", pathname);
    if (route) {
      serveProxyRoute(route, request, response).catch((error) => failed(response, "proxy failure", error));
      return;
    }
    if (pathname === "/metrics" && request.method === "GET") {
      metricsResponse(request.headers.authorization ?? null, forwardedClientIp(request.headers["x-forwarded-for"] as string | undefined)).then(
        (result) => response.writeHead(result.status, result.headers).end(result.body),
        (error) => failed(response, "metrics failure", error),
      );
      return;
    }
    consoleProcess.relay(request, response);
  });
  server.keepAliveTimeout = 65_000;

  pruneAuditRows();
  setInterval(() => pruneAuditRows(), DAY_MS).unref();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ msg: "shutting down", signal, inFlight: inFlightInferenceCalls(), graceMs: config.shutdownGraceMs });
    // Stop accepting; idle keep-alive connections close now, busy ones once their response ends.
    server.close();
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = Date.now() + config.shutdownGraceMs;
    while (inFlightInferenceCalls() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    if (inFlightInferenceCalls() > 0) {
      log.warn({ msg: "grace period over; closing live connections", inFlight: inFlightInferenceCalls() });
      server.closeAllConnections();
      // Cut streams audit themselves (as 499) once their upstream aborts.
      const cutDeadline = Date.now() + 2000;
      while (inFlightInferenceCalls() > 0 && Date.now() < cutDeadline) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    clearInterval(idleSweep);
    server.closeAllConnections();
    flushAudit();
    await Promise.all([closeUpstreamPool().catch(() => undefined), consoleProcess.stop()]);
    log.info({ msg: "stopped" });
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));

  server.listen(config.port, config.hostname, () => {
    console.log(`LLM Gateway listening on http://${config.hostname}:${config.port}`);
  });
}

function failed(response: http.ServerResponse, msg: string, error: unknown): void {
  log.error({ msg, error: error instanceof Error ? error.message : String(error) });
  if (!response.headersSent) response.writeHead(500).end();
  else response.destroy();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
