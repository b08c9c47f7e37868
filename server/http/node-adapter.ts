import type { IncomingMessage, ServerResponse } from "node:http";
import type { Store } from "../../db/store";
import { handleInference } from "../proxy/infer";
import { handleApiRoute } from "../proxy/models";
import type { ProxyRoute } from "../proxy/routes";
import { header, type ChunkSink, type ProxyResponse } from "../proxy/types";
import { forwardedClientIp } from "./edge";

/** Serves a proxy route straight from node:http: no framework, chunks written to the socket as they come. */
export async function serveProxyRoute(store: Store, route: ProxyRoute, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const controller = new AbortController();
  response.on("close", () => {
    if (!response.writableFinished) controller.abort();
  });
  const result: ProxyResponse =
    route.kind !== "infer"
      ? await handleApiRoute(store, route, request.headers)
      : await handleInference({
          store,
          method: request.method ?? "POST",
          api: route.api,
          llmName: route.llmName,
          headers: request.headers,
          body: request,
          clientIp: clientAddress(request),
          signal: controller.signal,
        });
  await writeProxyResponse(result, response, controller.signal);
}

function clientAddress(request: IncomingMessage): string | null {
  return forwardedClientIp(header(request.headers, "x-forwarded-for")) || request.socket.remoteAddress || null;
}

export async function writeProxyResponse(result: ProxyResponse, response: ServerResponse, signal: AbortSignal): Promise<void> {
  if (result.body instanceof Uint8Array) {
    response.writeHead(result.status, { ...result.headers, "content-length": String(result.body.byteLength) });
    response.end(result.body);
    return;
  }
  response.writeHead(result.status, result.headers);
  // The headers leave with the first chunk when it is already here (one write, one wake-up of the
  // client); otherwise on their own at the end of this turn of the event loop.
  let wrote = false;
  setImmediate(() => {
    if (!wrote && !signal.aborted) response.flushHeaders();
  });
  const sink: ChunkSink = {
    write: (chunk) => {
      wrote = true;
      return !signal.aborted && response.write(chunk);
    },
    drain: () => drained(response, signal),
  };
  try {
    await result.body.pipeTo(sink);
  } finally {
    response.end();
  }
}

function drained(response: ServerResponse, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      response.off("drain", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    response.on("drain", done);
    signal.addEventListener("abort", done, { once: true });
  });
}
