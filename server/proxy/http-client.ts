import { Agent } from "undici";
import type { IncomingHttpHeaders } from "node:http";

// One pooled keep-alive dispatcher for every upstream.
const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connections: 256, pipelining: 1 });

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: AsyncIterable<Uint8Array> & { text(): Promise<string>; dump(): Promise<void> };
}

interface Target {
  origin: string;
  path: string;
}

// Llm URLs are few and fixed: parse each once, not per call.
const targets = new Map<string, Target>();

function target(url: string): Target {
  let parsed = targets.get(url);
  if (!parsed) {
    const { origin, pathname, search } = new URL(url);
    parsed = { origin, path: pathname + search };
    if (targets.size > 1000) targets.clear();
    targets.set(url, parsed);
  }
  return parsed;
}

/** `idleTimeoutMs` bounds the wait for the headers and every gap between body chunks. */
export async function postUpstream(url: string, headers: Record<string, string>, body: string, signal: AbortSignal, idleTimeoutMs: number): Promise<UpstreamResponse> {
  const response = await agent.request({
    ...target(url),
    method: "POST",
    headers,
    body,
    signal,
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
