import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown> | null;
  /** Resolves when the client side of this request closed (aborted or finished). */
  closed: Promise<void>;
  closedEarly: boolean;
}

export type Handler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface FakeUpstream {
  url: string;
  requests: RecordedRequest[];
  handle(handler: Handler): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records what it receives and answers as told. */
export async function startFakeUpstream(): Promise<FakeUpstream> {
  let handler: Handler = (_request, response) => void response.writeHead(500).end("no handler");
  const requests: RecordedRequest[] = [];
  const server = http.createServer(async (incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    let json: Record<string, unknown> | null = null;
    try {
      json = JSON.parse(body) as Record<string, unknown>;
    } catch {
      json = null;
    }
    const recorded: RecordedRequest = {
      method: incoming.method!,
      url: incoming.url!,
      headers: incoming.headers,
      body,
      json,
      closed: Promise.resolve(),
      closedEarly: false,
    };
    recorded.closed = new Promise((resolve) =>
      response.on("close", () => {
        recorded.closedEarly = !response.writableFinished;
        resolve();
      }),
    );
    requests.push(recorded);
    try {
      await handler(recorded, response);
    } catch {
      response.destroy();
    }
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    handle(next) {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

/** Writes SSE frames (already framed text), optionally paced, then ends. */
export async function sendSse(response: ServerResponse, frames: string[], options: { delayMs?: number; headers?: Record<string, string> } = {}): Promise<void> {
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...options.headers });
  for (const frame of frames) {
    if (response.destroyed) return;
    response.write(frame);
    if (options.delayMs) await sleep(options.delayMs);
  }
  response.end();
}

/** An OpenAI streamed completion: role chunk, text deltas, finish chunk, optional usage chunk, [DONE]. */
export function openaiStreamFrames(request: RecordedRequest, pieces: string[], model = "gpt-4o-2024-08-06"): string[] {
  const base = { id: "chatcmpl-fake", object: "chat.completion.chunk", created: 1700000000, model };
  const includeUsage = (request.json?.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  const usageField = includeUsage ? { usage: null } : {};
  const frame = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;
  const frames = [frame({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }], ...usageField })];
  for (const piece of pieces) frames.push(frame({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }], ...usageField }));
  frames.push(frame({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }], ...usageField }));
  if (includeUsage)
    frames.push(frame({ ...base, choices: [], usage: { prompt_tokens: 11, completion_tokens: pieces.length, total_tokens: 11 + pieces.length } }));
  frames.push("data: [DONE]\n\n");
  return frames;
}

export function openaiCompletion(content: string, model = "gpt-4o-2024-08-06") {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 1700000000,
    model,
    choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 },
  };
}
