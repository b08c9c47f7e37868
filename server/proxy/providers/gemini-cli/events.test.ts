import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { newOutcome, observe, parseCliEvent, usageFromResult } from "./events";

const fixture = (name: string) =>
  fs
    .readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), "__fixtures__", name), "utf8")
    .split("\n")
    .filter(Boolean);

function replay(lines: string[]) {
  const outcome = newOutcome();
  const texts: string[] = [];
  for (const line of lines) {
    const event = parseCliEvent(line);
    expect(event, line).not.toBeNull();
    const text = observe(outcome, event!);
    if (text) texts.push(text);
  }
  return { outcome, texts };
}

describe("stream-json events recorded from the real CLI", () => {
  it("a text answer: assistant deltas, the model, the usage of the result", async () => {
    const { outcome, texts } = replay(fixture("text-answer.jsonl"));
    expect(texts).toEqual(["Hello", " there!"]);
    expect(outcome.model).toBe("gemini-2.5-flash");
    expect(outcome.result?.status).toBe("success");
    expect(usageFromResult(outcome.result!)).toEqual({
      promptTokens: 12,
      completionTokens: 3,
      totalTokens: 15,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      cacheWrite1hTokens: null,
      reasoningTokens: null,
    });
  });

  it("a refused tool call: the tool events parse and carry no text; the user echo is not an answer", async () => {
    const lines = fixture("tool-refused.jsonl");
    expect(lines.map((line) => parseCliEvent(line)?.type)).toEqual(["init", "message", "tool_use", "tool_result", "message", "result"]);
    const { outcome, texts } = replay(lines);
    expect(texts).toEqual(["I cannot run commands."]);
    expect(usageFromResult(outcome.result!)).toMatchObject({ promptTokens: 50, completionTokens: 10, totalTokens: 60, cacheReadTokens: null });
  });

  it("ignores what is not a known event", async () => {
    expect(parseCliEvent("Loaded cached credentials.")).toBeNull();
    expect(parseCliEvent('{"type":"message","role":"assistant"}')).toBeNull();
    expect(parseCliEvent('{"type":"telemetry","x":1}')).toBeNull();
    expect(parseCliEvent("{not json")).toBeNull();
  });

  it("keeps the model of the result when one model answered, and the last error event", async () => {
    const outcome = newOutcome();
    observe(outcome, parseCliEvent('{"type":"init","timestamp":"t","session_id":"s","model":"auto"}')!);
    observe(outcome, parseCliEvent('{"type":"error","timestamp":"t","severity":"error","message":"Model stream ended with an empty response."}')!);
    observe(
      outcome,
      parseCliEvent(
        '{"type":"result","timestamp":"t","status":"error","stats":{"total_tokens":1,"input_tokens":1,"output_tokens":0,"models":{"gemini-2.5-pro":{"total_tokens":1,"input_tokens":1,"output_tokens":0}}}}',
      )!,
    );
    expect(outcome).toMatchObject({ model: "gemini-2.5-pro", lastError: "Model stream ended with an empty response." });
  });
});
