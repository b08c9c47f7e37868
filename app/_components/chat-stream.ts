import { readSseEvents } from "./sse-parser";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** What one `data:` frame of an OpenAI chat completion stream means to the playground. */
export type ChatFrame =
  | { kind: "done" }
  | { kind: "error"; message: string }
  | { kind: "chunk"; content: string; finishReason: string | null; usage: ChatUsage | null; model: string | null };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readUsage(value: unknown): ChatUsage | null {
  if (!isRecord(value)) return null;
  const number = (key: string) => (typeof value[key] === "number" ? (value[key] as number) : 0);
  return { promptTokens: number("prompt_tokens"), completionTokens: number("completion_tokens"), totalTokens: number("total_tokens") };
}

/** Interprets one frame; malformed JSON or shapes become an error frame, never a throw. */
export function interpretChatFrame(data: string): ChatFrame {
  if (data.trim() === "[DONE]") return { kind: "done" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return { kind: "error", message: "The stream sent a frame that is not JSON" };
  }
  if (!isRecord(parsed)) return { kind: "error", message: "The stream sent an unexpected frame" };
  if ("error" in parsed) {
    const error = parsed.error;
    const message = isRecord(error) && typeof error.message === "string" ? error.message : "The stream failed";
    return { kind: "error", message };
  }
  const choices = Array.isArray(parsed.choices) ? parsed.choices : [];
  let content = "";
  let finishReason: string | null = null;
  for (const choice of choices) {
    if (!isRecord(choice) || (choice.index !== undefined && choice.index !== 0)) continue;
    const delta = isRecord(choice.delta) ? choice.delta : null;
    if (delta && typeof delta.content === "string") content += delta.content;
    if (typeof choice.finish_reason === "string") finishReason = choice.finish_reason;
  }
  return { kind: "chunk", content, finishReason, usage: readUsage(parsed.usage), model: typeof parsed.model === "string" ? parsed.model : null };
}

/** Turns a non-2xx inference response into a sentence for a person. */
export async function describeHttpError(response: Response): Promise<string> {
  let message: string | null = null;
  let code: unknown = null;
  try {
    const body: unknown = await response.json();
    if (isRecord(body) && isRecord(body.error) && typeof body.error.message === "string") message = body.error.message;
    if (isRecord(body) && isRecord(body.error)) code = body.error.code;
  } catch {
    message = null;
  }
  if (code === "upstream_auth_failed") return `The provider refused this model's API key; an operator must fix the key or the Secret. ${message ?? ""}`.trim();
  if (response.status === 403) return `You may not run this model${message ? ` (${message})` : ""}.`;
  if (response.status === 401) return "Your session has ended. Sign in again.";
  if (response.status === 404) return message ?? "This model does not exist.";
  return message ? `${message} (HTTP ${response.status})` : `The gateway answered HTTP ${response.status}.`;
}

export interface ChatStreamHandlers {
  onContent(text: string): void;
  onUsage(usage: ChatUsage): void;
  onFinish(reason: string | null): void;
}

/**
 * Reads an OpenAI SSE body to its end. Resolves `{ ok: true }` after `[DONE]`, or with the
 * error message of a mid-stream `data: {"error":…}` frame or of a stream cut short.
 */
export async function consumeChatStream(
  body: ReadableStream<Uint8Array>,
  handlers: ChatStreamHandlers,
): Promise<{ ok: true } | { ok: false; message: string }> {
  let result: { ok: true } | { ok: false; message: string } | null = null;
  for await (const event of readSseEvents(body)) {
    // After [DONE] or an error frame, read on to the end of the response instead of hanging up:
    // closing early would look to the gateway like a client that went away (499).
    if (result) continue;
    const frame = interpretChatFrame(event.data);
    if (frame.kind === "done") result = { ok: true };
    else if (frame.kind === "error") result = { ok: false, message: frame.message };
    else {
      if (frame.content) handlers.onContent(frame.content);
      if (frame.usage) handlers.onUsage(frame.usage);
      if (frame.finishReason) handlers.onFinish(frame.finishReason);
    }
  }
  return result ?? { ok: false, message: "The stream ended before the answer was complete." };
}
