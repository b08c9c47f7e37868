import { describe, expect, it } from "vitest";
import { consumeChatStream, describeHttpError, interpretChatFrame } from "./chat-stream";

function sse(text: string, cut = 7): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      for (let start = 0; start < bytes.length; start += cut) controller.enqueue(bytes.slice(start, start + cut));
      controller.close();
    },
  });
}

const chunk = (content: string) => `data: ${JSON.stringify({ object: "chat.completion.chunk", choices: [{ index: 0, delta: { content } }] })}\n\n`;

describe("interpretChatFrame", () => {
  it("reads content, finish reason and usage", async () => {
    expect(interpretChatFrame(JSON.stringify({ model: "m", choices: [{ index: 0, delta: { content: "Hi" }, finish_reason: "stop" }] }))).toEqual({
      kind: "chunk",
      content: "Hi",
      finishReason: "stop",
      usage: null,
      model: "m",
    });
    const usage = interpretChatFrame(JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 } }));
    expect(usage).toMatchObject({ kind: "chunk", content: "", usage: { promptTokens: 3, completionTokens: 5, totalTokens: 8 } });
  });

  it("recognises [DONE], error frames and garbage", async () => {
    expect(interpretChatFrame("[DONE]")).toEqual({ kind: "done" });
    expect(interpretChatFrame('{"error":{"message":"upstream went away","type":"api_error"}}')).toEqual({ kind: "error", message: "upstream went away" });
    expect(interpretChatFrame("not json")).toMatchObject({ kind: "error" });
  });
});

describe("consumeChatStream", () => {
  it("delivers content in order, then usage, and ends at [DONE]", async () => {
    const contents: string[] = [];
    const usages: number[] = [];
    const body = `${chunk("Hel") + chunk("lo")}data: {"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6}}\n\ndata: [DONE]\n\n`;
    const result = await consumeChatStream(sse(body), {
      onContent: (text) => contents.push(text),
      onUsage: (usage) => usages.push(usage.totalTokens),
      onFinish: () => undefined,
    });
    expect(result).toEqual({ ok: true });
    expect(contents).toEqual(["Hel", "lo"]);
    expect(usages).toEqual([6]);
  });

  it("reports a mid-stream error frame", async () => {
    const body = `${chunk("partial")}data: {"error":{"message":"upstream reset","type":"api_error","param":null,"code":null}}\n\n`;
    const contents: string[] = [];
    const result = await consumeChatStream(sse(body, 3), { onContent: (text) => contents.push(text), onUsage: () => undefined, onFinish: () => undefined });
    expect(contents).toEqual(["partial"]);
    expect(result).toEqual({ ok: false, message: "upstream reset" });
  });

  it("reports a stream that ends without [DONE]", async () => {
    const result = await consumeChatStream(sse(chunk("x")), { onContent: () => undefined, onUsage: () => undefined, onFinish: () => undefined });
    expect(result.ok).toBe(false);
  });
});

describe("describeHttpError", () => {
  const json = (status: number, message: string) => new Response(JSON.stringify({ error: { message, type: "x", param: null, code: null } }), { status });

  it("says plainly that a 403 means no permission", async () => {
    expect(await describeHttpError(json(403, "missing permission run:llms:b"))).toBe("You may not run this model (missing permission run:llms:b).");
  });

  it("passes upstream messages on with the status", async () => {
    expect(await describeHttpError(json(502, "upstream unreachable"))).toBe("upstream unreachable (HTTP 502)");
    const refused = new Response(
      JSON.stringify({
        error: { message: "The provider refused the API key of llm 'gpt' (HTTP 401): bad key", type: "api_error", param: null, code: "upstream_auth_failed" },
      }),
      { status: 502 },
    );
    expect(await describeHttpError(refused)).toBe(
      "The provider refused this model's API key; an operator must fix the key or the Secret. The provider refused the API key of llm 'gpt' (HTTP 401): bad key",
    );
    expect(await describeHttpError(new Response("oops", { status: 500 }))).toBe("The gateway answered HTTP 500.");
  });
});

describe("consumeChatStream after [DONE]", () => {
  it("reads the response to its end instead of cancelling it", async () => {
    let cancelled = false;
    const bytes = new TextEncoder().encode(`${chunk("x")}data: [DONE]\n\n`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        setTimeout(() => controller.close(), 20);
      },
      cancel() {
        cancelled = true;
      },
    });
    expect(await consumeChatStream(body, { onContent: () => undefined, onUsage: () => undefined, onFinish: () => undefined })).toEqual({ ok: true });
    expect(cancelled).toBe(false);
  });
});
