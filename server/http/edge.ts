import diagnosticsChannel from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { getConfig } from "../config";

// Headers only a trusted reverse proxy may set; from anyone else they are replaced or dropped.
const PROXY_HEADERS = ["x-forwarded-proto", "x-forwarded-host", "x-forwarded-port"];

/**
 * What every edge may believe about where a request came from, decided once as node:http hands it
 * over (before Next or the proxy see it): unless GATEWAY_TRUST_PROXY is on, X-Forwarded-For becomes
 * the socket's address and the other forwarded headers go; an absolute-form target becomes its
 * path, so no host named in a request line is ever used.
 */
export function applyEdgePolicy(request: IncomingMessage, trustProxy: boolean): void {
  if (!trustProxy) {
    request.headers["x-forwarded-for"] = request.socket.remoteAddress ?? "";
    for (const name of PROXY_HEADERS) delete request.headers[name];
  }
  const target = request.url ?? "/";
  if (!target.startsWith("/")) {
    try {
      const url = new URL(target);
      request.url = `${url.pathname}${url.search}`;
    } catch {
      request.url = "/";
    }
  }
}

let installed = false;

/** Applies the edge policy to every request any node:http server in this process receives. */
export function installEdgePolicy(): void {
  if (installed) return;
  installed = true;
  const { trustProxy } = getConfig();
  diagnosticsChannel.subscribe("http.server.request.start", (message) => applyEdgePolicy((message as { request: IncomingMessage }).request, trustProxy));
}

/** The client address a request names in X-Forwarded-For (its first entry), as the edge policy left it. */
export function forwardedClientIp(value: string | null | undefined): string | null {
  return value?.split(",")[0]?.trim() || null;
}
