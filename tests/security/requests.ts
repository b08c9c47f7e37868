import http from "node:http";
import { expect } from "vitest";
import { auditFor } from "../helpers/seed";

export interface PostOptions {
  /** A bearer token; null sends no Authorization header. */
  token?: string | null;
  body?: unknown;
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** A JSON POST to the gateway, as a client that does not use the SDK sends it. */
export function postTo(gatewayUrl: string, path: string, options: PostOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return fetch(`${gatewayUrl}${path}`, {
    method: "POST",
    headers,
    body: (options.raw ?? JSON.stringify(options.body ?? { messages: [{ role: "user", content: "hi" }] })) as BodyInit,
    signal: options.signal,
  });
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** The response is the OpenAI error shape with this status (and type). */
export async function expectOpenAIErrorBody(response: Response, status: number, type?: string, message?: string | RegExp): Promise<OpenAIErrorBody> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/json");
  const body = (await response.json()) as OpenAIErrorBody;
  expect(Object.keys(body.error).sort()).toEqual(["code", "message", "param", "type"]);
  if (type) expect(body.error.type).toBe(type);
  if (message) expect(body.error.message).toMatch(message);
  return body;
}

/** The response is the OpenAI error shape with this status (and type), audited once with the same status. */
export async function expectOpenAIError(response: Response, status: number, type?: string, message?: string | RegExp) {
  const body = await expectOpenAIErrorBody(response, status, type, message);
  const rows = await auditFor(response.headers.get("x-request-id"));
  expect(rows).toHaveLength(1);
  expect(rows[0]!.status).toBe(status);
  return { body, row: rows[0]! };
}

/** The payloads of the `data:` lines of an SSE text, in order. */
export function ssePayloads(text: string): string[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((frame) => frame.trim() !== "")
    .flatMap((frame) =>
      frame
        .split(/\r?\n/)
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart()),
    );
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request whose path goes on the wire exactly as written (fetch would normalise `..` and `%2e`). */
export function rawRequest(gatewayUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  const { hostname, port } = new URL(gatewayUrl);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: hostname, port, method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

/**
 * Streams a chunked body (no Content-Length) on its own connection until the server answers or
 * `maxBytes` went out; the connection is not reused, since the server may stop reading it. A
 * server that answers and closes while the body is still going out can make the next write fail
 * (EPIPE) before the answer is read: that attempt is made again, up to three times.
 */
export async function sendChunkedUntilAnswered(gatewayUrl: string, path: string, headers: Record<string, string>, maxBytes: number): Promise<RawResponse> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await sendChunkedOnce(gatewayUrl, path, headers, maxBytes);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 3 || (code !== "EPIPE" && code !== "ECONNRESET")) throw error;
    }
  }
}

function sendChunkedOnce(gatewayUrl: string, path: string, headers: Record<string, string>, maxBytes: number): Promise<RawResponse> {
  const { hostname, port } = new URL(gatewayUrl);
  const chunk = Buffer.from(`{"messages":[{"role":"user","content":"${"y".repeat(64 * 1024)}`);
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request({ host: hostname, port, method: "POST", path, headers, agent: false }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on("data", (data: Buffer) => chunks.push(data));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    request.on("error", (error) => (answered ? undefined : reject(error)));
    let sent = 0;
    const pump = () => {
      while (!answered && sent < maxBytes) {
        sent += chunk.byteLength;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      if (!answered) request.end();
    };
    pump();
  });
}
