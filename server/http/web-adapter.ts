import { handleInference } from "../proxy/infer";
import { handleModels } from "../proxy/models";
import type { ChunkSink, HeaderMap, ProxyResponse } from "../proxy/types";

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
  // The request's signal aborts the upstream when the client goes away; the stream only has to stop writing.
  let cancelled = false;
  let wake: (() => void) | null = null;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const sink: ChunkSink = {
        write(chunk) {
          if (cancelled) return false;
          controller.enqueue(chunk);
          return (controller.desiredSize ?? 1) > 0;
        },
        drain: () => (cancelled ? Promise.resolve() : new Promise<void>((resolve) => (wake = resolve))),
      };
      body(sink).then(
        () => !cancelled && controller.close(),
        (error) => !cancelled && controller.error(error),
      );
    },
    pull() {
      wake?.();
      wake = null;
    },
    cancel() {
      cancelled = true;
      wake?.();
    },
  });
  return new Response(stream, { status: result.status, headers: result.headers });
}

function clientIp(headers: Headers): string | null {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || null;
}

/** Route-file entry for the inference endpoints when served by Next. */
export async function inferFromWebRequest(request: Request, llmName: string | null): Promise<Response> {
  const result = await handleInference({
    method: request.method,
    llmName,
    headers: headerMap(request.headers),
    body: request.body as AsyncIterable<Uint8Array> | null,
    clientIp: clientIp(request.headers),
    signal: request.signal,
  });
  return toWebResponse(result);
}

export function modelsFromWebRequest(request: Request): Response {
  return toWebResponse(handleModels(headerMap(request.headers)));
}
