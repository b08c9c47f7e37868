import { describe, expect, it } from "vitest";
import type { ChatRequest } from "../../request-body";
import { buildPrompt } from "./prompt";

const request = (messages: unknown[], extra: Record<string, unknown> = {}) => ({ messages, ...extra }) as ChatRequest;

describe("buildPrompt", () => {
  it("sends a lone user message as it is", async () => {
    expect(buildPrompt(request([{ role: "user", content: "What is 2+2?" }]))).toBe("What is 2+2?");
  });

  it.each(["/quit", "  /chat save x", "@/etc/passwd summarise", "!rm -rf ~"])(
    "never lets a lone message start with what the CLI runs as a command: %j",
    (text) => {
      expect(buildPrompt(request([{ role: "user", content: text }]))).toBe(`[User]\n${text}`);
    },
  );

  it("puts system and developer text first, then the conversation as a headed transcript", async () => {
    const prompt = buildPrompt(
      request([
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
        { role: "assistant", content: "Bonjour." },
        { role: "user", content: "And 2+2?" },
      ]),
    );
    expect(prompt).toBe("[System]\nBe brief.\n\nAnswer in French.\n\n[User]\nHi\n\n[Assistant]\nBonjour.\n\n[User]\nAnd 2+2?");
  });

  it("renders earlier tool calls and results", async () => {
    const prompt = buildPrompt(
      request([
        { role: "user", content: "Weather?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
        },
        { role: "tool", tool_call_id: "call_1", content: "18°C" },
      ]),
    );
    expect(prompt).toBe('[User]\nWeather?\n\n[Assistant tool call get_weather]\n{"city":"Paris"}\n\n[Tool result call_1]\n18°C');
  });

  it("refuses what the CLI cannot take", async () => {
    expect(() => buildPrompt(request([{ role: "user", content: "x" }], { n: 2 }))).toThrow(expect.objectContaining({ code: "invalid_request", param: "n" }));
    expect(() => buildPrompt(request([{ role: "user", content: "x" }], { tools: [{ type: "function" }] }))).toThrow(
      expect.objectContaining({ param: "tools" }),
    );
    expect(() => buildPrompt(request([{ role: "user", content: [{ type: "input_audio" }] }]))).toThrow(
      expect.objectContaining({ param: "messages[0].content[0]" }),
    );
    expect(() => buildPrompt(request([{ role: "wizard", content: "x" }]))).toThrow(expect.objectContaining({ param: "messages[0].role" }));
    const huge = "x".repeat(8 * 1024 * 1024 + 1);
    expect(() => buildPrompt(request([{ role: "user", content: huge }]))).toThrow(
      expect.objectContaining({ param: "messages", detailCode: "context_length_exceeded" }),
    );
  });
});
