import type { IncomingMessage, ServerResponse } from "node:http";
import { handleInference } from "../proxy/infer";
import { handleModels } from "../proxy/models";
import type { ProxyRoute } from "../proxy/routes";
import type { ProxyResponse } from "../proxy/types";

/** Serves a proxy route straight from node:http: no framework, Node streams end to end. */
export async function serveProxyRoute(route: ProxyRoute, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const controller = new AbortController();
  const onClose = () => {
    if (!response.writableFinished) controller.abort();
  };
  response.on("close", onClose);
  const result: ProxyResponse =
    route.kind === "models"
      ? handleModels(request.headers)
      : await handleInference({
          method: request.method ?? "POST",
          llmName: route.llmName,
          headers: request.headers,
          body: request,
          clientIp: request.socket.remoteAddress ?? null,
          signal: controller.signal,
        });
  await writeProxyResponse(result, response, controller.signal);
}

export async function writeProxyResponse(result: ProxyResponse, response: ServerResponse, signal: AbortSignal): Promise<void> {
  if (result.body instanceof Uint8Array) {
    response.writeHead(result.status, { ...result.headers, "content-length": String(result.body.byteLength) });
    response.end(result.body);
    return;
  }
  response.writeHead(result.status, result.headers);
  response.flushHeaders();
  const iterator = result.body[Symbol.asyncIterator]();
  try {
    while (!signal.aborted) {
      const next = await iterator.next();
      if (next.done) break;
      if (!response.write(next.value)) await drained(response, signal);
    }
  } finally {
    if (signal.aborted) await iterator.return?.();
    response.end();
  }
}

function drained(response: ServerResponse, signal: AbortSignal): Promise<void> {
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
