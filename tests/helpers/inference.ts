import type { Store } from "../../db/store";
import { ByteStream } from "../../server/proxy/byte-stream";
import { handleInference } from "../../server/proxy/infer";

export interface InferenceAnswer<T = { choices?: Array<{ message: { content: string } }>; error?: { message: string; type: string; code: string | null } }> {
  status: number;
  headers: Record<string, string>;
  /** The whole body as the client read it (a stream's frames too). */
  text: string;
  /** The body as JSON, or null (a stream). */
  json: T | null;
}

/**
 * One chat call through the proxy pipeline in this process, as `token`, read to its end; it
 * resolves once the call has been audited (and its limit reservations settled), which the proxy
 * does on the next turn of the event loop.
 */
export async function callInference(
  store: Store,
  token: string,
  llm: string,
  body: Record<string, unknown>,
  options: { signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<InferenceAnswer> {
  const response = await handleInference({
    store,
    method: "POST",
    api: "chat",
    llmName: llm,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...options.headers },
    body: (async function* () {
      yield Buffer.from(JSON.stringify(body));
    })(),
    clientIp: "127.0.0.1",
    signal: options.signal ?? new AbortController().signal,
  });
  let text = "";
  if (response.body instanceof ByteStream) {
    try {
      for await (const chunk of response.body) text += Buffer.from(chunk).toString("utf8");
    } catch {
      // the client left
    }
  } else text = Buffer.from(response.body).toString("utf8");
  for (let turn = 0; turn < 2; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, text, json };
}
