import { Agent } from "undici";
import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";

// A pooled keep-alive dispatcher per Llm: calls held open on one Llm (a slow model, a caller who
// never reads) cannot take the connections other Llms on the same origin need.
const agents = new Map<string, Agent>();

function agentFor(pool: string): Agent {
  let agent = agents.get(pool);
  if (!agent) {
    agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connections: 256, pipelining: 1 });
    agents.set(pool, agent);
  }
  return agent;
}

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

/** `idleTimeoutMs` bounds the wait for the headers and every gap between body chunks; `pool` names the Llm. */
export async function postUpstream(
  pool: string,
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
  idleTimeoutMs: number,
): Promise<UpstreamResponse> {
  const response = await agentFor(pool).request({
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

/** What a chunk handler returns when it needs no more of the body: the upstream call is cancelled. */
export const STOP_READING = Symbol("stop reading");

/**
 * Calls `handle` with the upstream body as it arrives (events, not an async iterator: no promise
 * per chunk). Chunks parsed from one socket read (a fast upstream's frames arrive many to a read)
 * are handed over together on the next tick: one pass and one client write for the lot, not one
 * per frame. When `handle` returns a promise (the client is slow), reading pauses until it
 * settles; when it returns `STOP_READING`, the rest of the body is not read. Rejects when the body
 * fails (reset, abort, timeout).
 */
export function forEachChunk(body: UpstreamResponse["body"], handle: (chunk: Buffer) => Promise<void> | void | typeof STOP_READING): Promise<void> {
  const stream = body as unknown as Readable;
  return new Promise((resolve, reject) => {
    let pending: Buffer[] = [];
    let waiting: Promise<void> | null = null;
    let ended = false;
    let settled = false;

    const deliver = (): void => {
      if (pending.length === 0 || settled) return;
      const chunk = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
      pending = [];
      let wait: Promise<void> | void | typeof STOP_READING;
      try {
        wait = handle(chunk);
      } catch (error) {
        fail(error);
        return abandon(stream);
      }
      if (wait === STOP_READING) {
        finish();
        return abandon(stream);
      }
      if (!wait) return;
      stream.pause();
      waiting = wait.then(() => {
        waiting = null;
        if (ended) finish();
        else stream.resume();
      }, fail);
    };
    const onData = (chunk: Buffer) => {
      if (pending.push(chunk) === 1) process.nextTick(deliver);
    };
    const onEnd = () => {
      ended = true;
      deliver();
      if (!waiting) finish();
    };
    const cleanup = () => {
      settled = true;
      stream.off("data", onData).off("end", onEnd).off("error", fail).off("close", onClose);
    };
    function finish() {
      if (settled) return;
      cleanup();
      resolve();
    }
    function fail(error: unknown) {
      if (settled) return;
      deliver();
      cleanup();
      reject(error);
    }
    const onClose = () => {
      if (!ended) fail(new Error("upstream body closed before its end"));
    };
    stream.on("data", onData).on("end", onEnd).on("error", fail).on("close", onClose);
  });
}

/** Cancels the upstream call behind a body nobody reads any more (its abort error goes nowhere). */
function abandon(stream: Readable): void {
  stream.on("error", () => undefined);
  stream.destroy();
}

export async function closeUpstreamPool(): Promise<void> {
  await Promise.all([...agents.values()].map((agent) => agent.close()));
  agents.clear();
}

export function singleHeader(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}
