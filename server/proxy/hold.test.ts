import { describe, expect, it } from "vitest";
import { holdOpening } from "./hold";
import type { ChunkSink, StreamBody } from "./types";

const encoder = new TextEncoder();
const frame = (payload: object | string) => `data: ${typeof payload === "string" ? payload : JSON.stringify(payload)}\n\n`;
const chunk = (delta: object, finish: string | null = null) =>
  frame({ id: "c", object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] });

/** A stream writing `pieces` one by one, noting how far it got. */
function streamOf(pieces: string[], written: string[] = []): StreamBody {
  return async (sink) => {
    for (const piece of pieces) {
      written.push(piece);
      if (!sink.write(encoder.encode(piece))) await sink.drain();
    }
  };
}

async function collect(body: StreamBody): Promise<string> {
  let text = "";
  const sink: ChunkSink = { write: (bytes) => ((text += Buffer.from(bytes).toString("utf8")), true), drain: async () => {} };
  await body(sink);
  return text;
}

describe("holding a stream's opening", () => {
  it("releases at the first content, and the client then gets every byte in order", async () => {
    const role = chunk({ role: "assistant", content: "" });
    const pieces = [role, chunk({ content: "Hel" }), chunk({ content: "lo" }), chunk({}, "stop"), frame("[DONE]")];
    const written: string[] = [];
    const held = await holdOpening(streamOf(pieces, written));
    expect(held.kind).toBe("released");
    // The producer waits for the client once the answer began.
    expect(written).toHaveLength(2);
    if (held.kind === "released") expect(await collect(held.body)).toBe(pieces.join(""));
  });

  it("releases on a tool call, reasoning or a finish reason, and finds frames split across chunks or ended with CRLF", async () => {
    for (const opening of [
      chunk({ tool_calls: [{ index: 0, id: "t", function: { name: "f", arguments: "" } }] }),
      chunk({ reasoning_content: "hmm" }),
      chunk({}, "stop"),
    ]) {
      expect((await holdOpening(streamOf([chunk({ role: "assistant" }), opening]))).kind).toBe("released");
    }
    const content = chunk({ content: "hi" });
    const split = [content.slice(0, 10), content.slice(10)];
    const held = await holdOpening(streamOf([chunk({ role: "assistant" }).replace("\n\n", "\r\n\r\n"), ...split]));
    expect(held.kind).toBe("released");
    if (held.kind === "released") expect(await collect(held.body)).toContain('"content":"hi"');
  });

  it("reports an error frame that came before any content, and nothing was released", async () => {
    const error = frame({ error: { message: "Overloaded", type: "overloaded_error", code: null } });
    expect(await holdOpening(streamOf([chunk({ role: "assistant", content: "" }), error]))).toEqual({
      kind: "failed",
      error: { message: "Overloaded", type: "overloaded_error", code: null },
    });
  });

  it("a stream that ends cleanly without content is released as it is", async () => {
    const pieces = [chunk({ role: "assistant", content: "" }), ": keep-alive\n\n"];
    const held = await holdOpening(streamOf(pieces));
    expect(held.kind).toBe("released");
    if (held.kind === "released") expect(await collect(held.body)).toBe(pieces.join(""));
  });
});
