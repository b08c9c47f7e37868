import { handleInference } from "../proxy/infer";
import { processStore } from "../runtime/process-store";
import { forwardedClientIp } from "./edge";
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

/**
 * The one entry of every API route file under `next start`: the route comes from the same table
 * the lean server matches (`matchProxyRoute`), never from Next's own path parameters, so both
 * serving modes read a path the same way.
 */
export async function apiFromWebRequest(request: Request): Promise<Response> {
  const route = matchProxyRoute(request.method, new URL(request.url).pathname);
  if (!route) throw new Error(`${request.url} is not an API path`);
  const store = await processStore();
  if (route.kind !== "infer") return toWebResponse(await handleApiRoute(store, route, headerMap(request.headers)));
  const result = await handleInference({
    store,
    method: request.method,
    api: route.api,
    llmName: route.llmName,
    headers: headerMap(request.headers),
    body: request.body as AsyncIterable<Uint8Array> | null,
    clientIp: forwardedClientIp(request.headers.get("x-forwarded-for")),
    signal: request.signal,
  });
  return toWebResponse(result);
}
