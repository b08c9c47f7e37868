import http from "node:http";
import { pruneAuditRows } from "../audit/prune";
import { finalFlush, pendingAuditRows } from "../audit/writer";
import { flushLimitMeters } from "../limits/meter";
import { processStore } from "../runtime/process-store";
import type { Store } from "../../db/store";
import { getConfig } from "../config";
import { log } from "../ops/log";
import { metricsResponse } from "../ops/metrics-endpoint";
import { inFlightInferenceCalls } from "../proxy/audit";
import { closeUpstreamPool } from "../proxy/http-client";
import { matchProxyRoute } from "../proxy/routes";
import { bootstrap } from "../runtime/bootstrap";
import { warmUp } from "../runtime/warm";
import { forwardedClientIp, installEdgePolicy } from "./edge";
import { startConsoleProcess, type ConsoleProcess } from "./console-process";
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
  // Requests that arrive while the server is still starting are told so; nothing runs before the port is ours.
  let consoleProcess: ConsoleProcess | null = null;
  let store: Store | null = null;

  // A fast provider's burst (a whole short answer) fits the socket buffer without pausing the
  // upstream for a drain; a slow client still holds at most 64 KiB before the upstream is paused.
  const server = http.createServer({ highWaterMark: 64 * 1024 }, (request, response) => {
    if (!consoleProcess || !store) return void response.writeHead(503, { "content-type": "text/plain", "retry-after": "1" }).end("LLM Gateway is starting.\n");
    const pathname = (request.url ?? "/").split("?")[0]!;
    const route = matchProxyRoute(request.method ?? "GET", pathname);
    if (route) {
      serveProxyRoute(store, route, request, response).catch((error) => failed(response, "proxy failure", error));
      return;
    }
    if (pathname === "/metrics" && request.method === "GET") {
      metricsResponse(store, request.headers.authorization ?? null, forwardedClientIp(request.headers["x-forwarded-for"] as string | undefined)).then(
        (result) => response.writeHead(result.status, result.headers).end(result.body),
        (error) => failed(response, "metrics failure", error),
      );
      return;
    }
    consoleProcess.relay(request, response);
  });
  server.keepAliveTimeout = 65_000;
  // Bind first: a busy port must fail before the first start creates (and prints) anything.
  await listen(server, config.port, config.hostname);
  const opened = await processStore();
  const { generatedPassword } = await bootstrap(opened);
  await warmUp(opened);
  consoleProcess = await startConsoleProcess(opened);
  store = opened;
  printReady(config.port, generatedPassword);

  const prune = () => pruneAuditRows(opened).catch((error) => log.warn({ msg: "audit pruning failed", error: String(error) }));
  void prune();
  setInterval(prune, DAY_MS).unref();

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
    await Promise.all([flushLimitMeters(), finalFlush()]);
    const unwritten = pendingAuditRows();
    if (unwritten > 0) log.error({ msg: "audit rows not written before exit (the database does not answer)", rows: unwritten });
    await Promise.all([closeUpstreamPool().catch(() => undefined), consoleProcess.stop()]);
    await opened.close().catch(() => undefined);
    log.info({ msg: "stopped" });
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

function listen(server: http.Server, port: number, hostname: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") reject(new Error(`Port ${port} on ${hostname} is already in use: stop what holds it or set PORT to another port.`));
      else if (error.code === "EACCES") reject(new Error(`Not allowed to listen on port ${port} on ${hostname}: choose a port above 1023 with PORT.`));
      else reject(error);
    });
    server.listen(port, hostname, () => resolve());
  });
}

/** One block on stdout: where the console is and, on the first start only, how to sign in. */
function printReady(port: number, generatedPassword: string | null): void {
  const url = `http://localhost:${port}`;
  if (!generatedPassword) return void console.log(`LLM Gateway listening on ${url} (console: ${url}/login, API: ${url}/api/v1)`);
  const rule = "─".repeat(64);
  console.log(
    [
      rule,
      `LLM Gateway is ready. Sign in to the console at ${url}/login`,
      "  user:     admin",
      `Initial admin password: ${generatedPassword}`,
      "  This password is shown only now. Change it under My account; a lost one is reset with",
      "  `npx llm-gateway user set-password admin --password-stdin`.",
      `  API base URL for SDKs: ${url}/api/v1`,
      rule,
    ].join("\n"),
  );
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
