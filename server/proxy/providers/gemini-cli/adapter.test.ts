import { afterEach, describe, expect, it } from "vitest";
import { geminiCliAdapter } from "./adapter";
import { buildPrompt } from "./prompt";
import { bodyText, collectingSink, contentOf, makeCall, readStream, recordFile, type TestCall } from "./test-support";

let current: TestCall | null = null;
afterEach(() => current?.control.dispose());

function track(test: TestCall): TestCall {
  current = test;
  return test;
}

describe("gemini-cli adapter answers", () => {
  it("non-streaming: one chat.completion with the CLI's text, its usage in the outcome", async () => {
    const { call, outcome } = track(makeCall({ prompt: "Say hi" }));
    const result = await geminiCliAdapter.call(call);
    expect(result).toMatchObject({ kind: "complete", status: 200, headers: { "content-type": "application/json" } });
    const completion = JSON.parse(bodyText(result));
    expect(completion).toMatchObject({
      object: "chat.completion",
      model: "gemini-2.5-flash",
      choices: [{ index: 0, message: { role: "assistant", content: "Hello there!" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(outcome).toMatchObject({ usage: { promptTokens: 12, completionTokens: 3, totalTokens: 15 }, model: "gemini-2.5-flash", error: null });
  });

  it("streaming: role first, one chunk per delta, a finish chunk, [DONE]; no usage chunk unless asked", async () => {
    const { call, outcome } = track(makeCall({ stream: true }));
    const result = await geminiCliAdapter.call(call);
    expect(result.kind).toBe("stream");
    expect(result.headers).toMatchObject({ "content-type": "text/event-stream", "cache-control": "no-cache, no-transform" });
    const { text, frames } = await readStream(result);
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
    const chunks = frames.slice(0, -1).map((frame) => JSON.parse(frame));
    expect(chunks[0].choices[0].delta).toEqual({ role: "assistant", content: "" });
    expect(chunks.map((chunk) => chunk.choices[0].delta.content ?? null)).toEqual(["", "Hello", " there!", null]);
    expect(chunks.at(-1).choices[0].finish_reason).toBe("stop");
    expect(chunks.every((chunk) => chunk.object === "chat.completion.chunk" && chunk.id === chunks[0].id && !("usage" in chunk))).toBe(true);
    expect(outcome.usage).toEqual({
      promptTokens: 12,
      completionTokens: 3,
      totalTokens: 15,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      cacheWrite1hTokens: null,
      reasoningTokens: null,
    });
    expect(outcome.model).toBe("gemini-2.5-flash");
  });

  it("streaming with include_usage: usage null on chunks, then a usage chunk with no choices before [DONE]", async () => {
    const { call } = track(makeCall({ stream: true, includeUsage: true }));
    const { frames } = await readStream(await geminiCliAdapter.call(call));
    expect(frames.at(-1)).toBe("[DONE]");
    const usageChunk = JSON.parse(frames.at(-2)!);
    expect(usageChunk).toMatchObject({ object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } });
    expect(frames.slice(0, -2).every((frame) => JSON.parse(frame).usage === null)).toBe(true);
    expect(contentOf(frames)).toBe("Hello there!");
  });

  it("streams each delta as the CLI writes it", async () => {
    const { call } = track(makeCall({ stream: true, prompt: "stream slowly" }));
    const collector = collectingSink();
    await readStream(await geminiCliAdapter.call(call), collector);
    const arrivals = collector.writes.filter((write) => write.text.includes("part ")).map((write) => write.at);
    expect(arrivals).toHaveLength(6);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(500);
  });

  it("sends the transcript on stdin and only fixed flags on the command line", async () => {
    const record = recordFile();
    const messages = [
      { role: "system", content: "Be brief." },
      { role: "user", content: `First question record-to=${record.path}` },
      { role: "assistant", content: "First answer." },
      {
        role: "user",
        content: [
          { type: "text", text: "Second " },
          { type: "text", text: "question" },
        ],
      },
    ];
    const { call } = track(makeCall({ messages }));
    await geminiCliAdapter.call(call);
    const seen = record.read();
    expect(seen.argv).toEqual(["--output-format", "stream-json", "--model=gemini-2.5-flash", "--prompt", ""]);
    expect(seen.prompt).toBe(buildPrompt(call.request));
    expect(seen.prompt).toBe(`[System]\nBe brief.\n\n[User]\nFirst question record-to=${record.path}\n\n[Assistant]\nFirst answer.\n\n[User]\nSecond question`);
  });

  it("refuses what the CLI cannot do with a 400 before starting it", async () => {
    const { call } = track(makeCall({ request: { tools: [{ type: "function", function: { name: "f" } }] } }));
    await expect(geminiCliAdapter.call(call)).rejects.toMatchObject({ code: "invalid_request", param: "tools" });
    const image = track(makeCall({ messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:," } }] }] }));
    await expect(geminiCliAdapter.call(image.call)).rejects.toMatchObject({ code: "invalid_request", param: "messages[0].content[0]" });
  });
});
