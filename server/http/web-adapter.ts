import { handleInference } from "../proxy/infer";
import { forwardedClientIp } from "./client-ip";
import { handleApiRoute } from "../proxy/models";
import { matchProxyRoute } from "../proxy/routes";
import type { HeaderMap, ProxyResponse } from "../proxy/types";

function headerMap(headers: Headers): HeaderMap {
  const map: HeaderMap = {};
  headers.forEach((value, name) => {
    map[name] = value;
  });
  return map;
}

function toWebResponse(result: ProxyResponse): Response {
  const body = result.body;
  if (body instanceof Uint8Array) return new Response(body as BodyInit, { status: result.status, headers: result.headers });
  const iterator = body[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      // An empty first chunk makes Next send the headers now, not with the provider's first token.
      controller.enqueue(new Uint8Array(0));
    },
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(stream, { status: result.status, headers: result.headers });
}

/** Route-file entry for the inference endpoints when served by Next. */
export async function inferFromWebRequest(request: Request, llmName: string | null): Promise<Response> {
  const result = await handleInference({
    method: request.method,
    llmName,
    headers: headerMap(request.headers),
    body: request.body as AsyncIterable<Uint8Array> | null,
    clientIp: forwardedClientIp(request.headers.get("x-forwarded-for")),
    signal: request.signal,
  });
  return toWebResponse(result);
}

/** Route-file entry for the other `/api/v1` paths (the model list and lookup, and the 404/405 answers). */
export function apiFromWebRequest(request: Request): Response {
  const route = matchProxyRoute(request.method, new URL(request.url).pathname);
  // The route files that call this serve /api/v1 paths other than inference.
  if (!route || route.kind === "infer") throw new Error(`${request.url} is not served here`);
  return toWebResponse(handleApiRoute(route, headerMap(request.headers)));
}
