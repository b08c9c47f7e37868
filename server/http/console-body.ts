import { readBody } from "../proxy/request-body";

/** The largest body the console, tRPC and login accept; every console form fits in a fraction of it. */
export const CONSOLE_MAX_BODY_BYTES = 1024 * 1024;

/** The request with its body read up to the bound before anything parses it (413 past it). */
export async function boundedConsoleRequest(request: Request): Promise<Request> {
  if (request.body === null) return request;
  const body = await readBody(request.body as unknown as AsyncIterable<Uint8Array>, CONSOLE_MAX_BODY_BYTES, request.headers.get("content-length"));
  return new Request(request.url, { method: request.method, headers: request.headers, body: new Uint8Array(body) });
}
