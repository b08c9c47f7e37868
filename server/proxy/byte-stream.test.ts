import { describe, expect, it } from "vitest";
import { ByteStream } from "./byte-stream";
import type { ChunkSink } from "./types";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (chunks: Uint8Array[]) => chunks.map((chunk) => new TextDecoder().decode(chunk)).join("");

describe("ByteStream", () => {
  it("pushes chunks into a sink", async () => {
    const written: Uint8Array[] = [];
    const sink: ChunkSink = { write: (chunk) => (written.push(chunk), true), drain: async () => undefined };
    await new ByteStream(async (target) => {
      target.write(bytes("a"));
      target.write(bytes("b"));
    }).pipeTo(sink);
    expect(text(written)).toBe("ab");
  });

  it("is an async iterable that applies backpressure to the producer", async () => {
    let produced = 0;
    const stream = new ByteStream(async (sink) => {
      for (let index = 0; index < 100; index += 1) {
        produced += 1;
        if (!sink.write(bytes(String(index % 10)))) await sink.drain();
      }
    });
    const iterator = stream[Symbol.asyncIterator]();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(produced).toBeLessThan(100);
    const chunks: Uint8Array[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) chunks.push(next.value);
    expect(chunks).toHaveLength(100);
    expect(text(chunks).slice(0, 12)).toBe("012345678901");
  });

  it("surfaces the producer's failure after the chunks it wrote, and stops the producer on return()", async () => {
    const failing = new ByteStream(async (sink) => {
      sink.write(bytes("x"));
      throw new Error("upstream broke");
    });
    const seen: Uint8Array[] = [];
    await expect(
      (async () => {
        for await (const chunk of failing) seen.push(chunk);
      })(),
    ).rejects.toThrow("upstream broke");
    expect(text(seen)).toBe("x");
    let accepted = true;
    const endless = new ByteStream(async (sink) => {
      while (accepted) {
        accepted = sink.write(bytes("y"));
        if (!accepted) await sink.drain();
      }
    });
    for await (const _ of endless) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(accepted).toBe(false);
  });
});
