import { Agent, request } from "undici";
import type { IncomingHttpHeaders } from "node:http";

// One pooled keep-alive dispatcher for every upstream.
const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connections: 256, pipelining: 1 });

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: AsyncIterable<Uint8Array> & { text(): Promise<string>; dump(): Promise<void> };
}

/** `idleTimeoutMs` bounds the wait for the headers and every gap between body chunks. */
export async function postUpstream(url: string, headers: Record<string, string>, body: string, signal: AbortSignal, idleTimeoutMs: number): Promise<UpstreamResponse> {
  const response = await request(url, {
    method: "POST",
    headers,
    body,
    signal,
    dispatcher: agent,
    headersTimeout: idleTimeoutMs,
    bodyTimeout: idleTimeoutMs,
  });
  return { status: response.statusCode, headers: response.headers, body: response.body };
}

export async function closeUpstreamPool(): Promise<void> {
  await agent.close();
}

export function singleHeader(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}
