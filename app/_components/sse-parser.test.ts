import { describe, expect, it } from "vitest";
import { readSseEvents, SseParser } from "./sse-parser";

function feedAll(parts: string[]): string[] {
  const parser = new SseParser();
  const events = parts.flatMap((part) => parser.feed(part));
  return [...events, ...parser.end()].map((event) => event.data);
}

function streamOf(parts: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}

describe("SseParser", () => {
  it("parses complete frames in one read", async () => {
    expect(feedAll(['data: {"a":1}\n\ndata: [DONE]\n\n'])).toEqual(['{"a":1}', "[DONE]"]);
  });

  it("joins a frame split at every possible position", async () => {
    const text = 'data: {"x":"hello"}\n\ndata: {"x":"world"}\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      expect(feedAll([text.slice(0, cut), text.slice(cut)])).toEqual(['{"x":"hello"}', '{"x":"world"}']);
    }
  });

  it("handles one character per read", async () => {
    expect(feedAll([..."data: one\n\ndata: two\n\n"])).toEqual(["one", "two"]);
  });

  it("accepts CRLF and lone CR line endings, including CRLF split across reads", async () => {
    expect(feedAll(["data: a\r", "\n\r", "\ndata: b\r\r"])).toEqual(["a", "b"]);
  });

  it("joins multi-line data, ignores comments and keeps event names and ids", async () => {
    const parser = new SseParser();
    const events = parser.feed(": keep-alive\n\nevent: delta\nid: 7\ndata: line 1\ndata: line 2\n\n");
    expect(events).toEqual([{ event: "delta", data: "line 1\nline 2", id: "7" }]);
  });

  it("accepts data without the optional space and fields without a colon", async () => {
    // A bare `data` line is an empty data field: the event is dispatched with empty data.
    expect(feedAll(["data:x\n\ndata\n\n"])).toEqual(["x", ""]);
  });

  it("does not dispatch a final event without its blank line", async () => {
    expect(feedAll(["data: complete\n\ndata: cut"])).toEqual(["complete"]);
  });

  it("decodes multi-byte characters split across byte chunks", async () => {
    const bytes = new TextEncoder().encode("data: héllo 🌍\n\n");
    const parts = [bytes.slice(0, 8), bytes.slice(8, 15), bytes.slice(15)];
    const events = [];
    for await (const event of readSseEvents(streamOf(parts))) events.push(event.data);
    expect(events).toEqual(["héllo 🌍"]);
  });
});
