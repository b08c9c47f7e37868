import { Agent } from "undici";
import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";

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

/**
 * Calls `handle` for every chunk of an upstream body as it arrives (events, not an async iterator:
 * no promise per chunk). When `handle` returns a promise (the client is slow), reading pauses
 * until it settles. Rejects when the body fails (reset, abort, timeout).
 */
export function forEachChunk(body: UpstreamResponse["body"], handle: (chunk: Buffer) => Promise<void> | void): Promise<void> {
  const stream = body as unknown as Readable;
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      let wait: Promise<void> | void;
      try {
        wait = handle(chunk);
      } catch (error) {
        stream.destroy();
        return fail(error);
      }
      if (!wait) return;
      stream.pause();
      wait.then(() => stream.resume(), fail);
    };
    const cleanup = () => stream.off("data", onData).off("end", onEnd).off("error", fail).off("close", onClose);
    const onEnd = () => {
      cleanup();
      resolve();
    };
    function fail(error: unknown) {
      cleanup();
      reject(error);
    }
    const onClose = () => fail(new Error("upstream body closed before its end"));
    stream.on("data", onData).on("end", onEnd).on("error", fail).on("close", onClose);
  });
}

export async function closeUpstreamPool(): Promise<void> {
  await agent.close();
}

export function singleHeader(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}
