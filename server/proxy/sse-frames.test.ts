import { describe, expect, it } from "vitest";
import { FrameSplitter, MAX_PARTIAL_FRAME_BYTES, tapUsage, type UsageTap } from "./sse-frames";

const frame = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;
const content = frame({ choices: [{ index: 0, delta: { content: "hi" } }], usage: null });
const finish = frame({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: null });
const usageOnly = frame({ model: "gpt-4o-x", choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } });

describe("FrameSplitter", () => {
  it("forwards only complete frames and keeps the partial rest", async () => {
    const splitter = new FrameSplitter();
    const text = content + finish;
    expect(splitter.push(Buffer.from(text.slice(0, 10)))).toBeNull();
    expect(splitter.push(Buffer.from(text.slice(10, content.length + 5)))!.toString()).toBe(content);
    expect(splitter.push(Buffer.from(text.slice(content.length + 5)))!.toString()).toBe(finish);
    expect(splitter.rest()).toBeNull();
    expect(splitter.push(Buffer.from("data: [DO"))).toBeNull();
    expect(splitter.rest()!.toString()).toBe("data: [DO");
  });

  it("forwards a frame that never ends once it passes the limit, instead of holding it forever", async () => {
    const splitter = new FrameSplitter();
    const piece = Buffer.alloc(MAX_PARTIAL_FRAME_BYTES / 2 + 1, "x");
    expect(splitter.push(piece)).toBeNull();
    expect(splitter.push(piece)!.length).toBe(piece.length * 2);
    expect(splitter.rest()).toBeNull();
  });

  it("understands CRLF frame ends", async () => {
    const splitter = new FrameSplitter();
    expect(splitter.push(Buffer.from("data: 1\r\n\r\ndata: 2"))!.toString()).toBe("data: 1\r\n\r\n");
  });
});

describe("tapUsage", () => {
  it("reads usage and model and drops the usage-only frame when asked, leaving the rest byte-identical", async () => {
    const tap: UsageTap = { usage: null, model: null };
    const out = tapUsage(Buffer.from(`${content + finish + usageOnly}data: [DONE]\n\n`), true, tap);
    expect(out.toString()).toBe(`${content + finish}data: [DONE]\n\n`);
    expect(tap).toEqual({ usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }, model: "gpt-4o-x" });
  });

  it("keeps the usage frame when the client asked for it", async () => {
    const tap: UsageTap = { usage: null, model: null };
    const input = Buffer.from(finish + usageOnly);
    expect(tapUsage(input, false, tap)).toBe(input);
    expect(tap.usage).toMatchObject({ total_tokens: 5 });
  });

  it("handles spaced JSON, CRLF frames and usage on a frame that also has choices", async () => {
    const tap: UsageTap = { usage: null, model: null };
    const spaced = 'data: {"choices": [], "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}\r\n\r\n';
    expect(tapUsage(Buffer.from(spaced), true, tap).toString()).toBe("");
    expect(tap.usage).toMatchObject({ total_tokens: 2 });
    const withChoices = frame({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }], usage: { total_tokens: 7 } });
    expect(tapUsage(Buffer.from(withChoices), true, tap).toString()).toBe(withChoices);
    expect(tap.usage).toMatchObject({ total_tokens: 7 });
  });

  it("forwards a frame it cannot parse untouched", async () => {
    const tap: UsageTap = { usage: null, model: null };
    const odd = 'event: x\ndata: {"usage":{"a":1}\ndata: more}\n\n';
    expect(tapUsage(Buffer.from(odd), true, tap).toString()).toBe(odd);
  });
});
