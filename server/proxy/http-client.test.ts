import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachChunk, postUpstream, STOP_READING } from "./http-client";

const FRAMES = Array.from({ length: 200 }, (_, index) => `data: {"n":${index}}\n\n`);

describe("forEachChunk against a real HTTP upstream", () => {
  let server: http.Server;
  let base = "";

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      if (request.url === "/burst") {
        // Back to back, as a fast provider sends them: many frames reach the gateway in one read.
        for (const frame of FRAMES) response.write(frame);
        return void response.end();
      }
      if (request.url === "/reset") {
        response.write(FRAMES[0]);
        return void setTimeout(() => response.socket?.destroy(), 50);
      }
      let index = 0;
      const next = () => (index === 5 ? response.end() : (response.write(FRAMES[index++]), setTimeout(next, 20)));
      next();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (path: string) => postUpstream("test", `${base}${path}`, { "content-type": "application/json" }, "{}", new AbortController().signal, 5_000);

  it("hands over what one read brought in one call, all bytes in order", async () => {
    const chunks: string[] = [];
    await forEachChunk((await get("/burst")).body, (chunk) => void chunks.push(chunk.toString()));
    expect(chunks.join("")).toBe(FRAMES.join(""));
    expect(chunks.length).toBeLessThan(FRAMES.length / 4);
  });

  it("hands over paced frames one by one as they come", async () => {
    const chunks: string[] = [];
    await forEachChunk((await get("/paced")).body, (chunk) => void chunks.push(chunk.toString()));
    expect(chunks).toEqual(FRAMES.slice(0, 5));
  });

  it("waits for a slow consumer and still delivers everything in order", async () => {
    const chunks: string[] = [];
    await forEachChunk((await get("/burst")).body, async (chunk) => {
      chunks.push(chunk.toString());
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
    expect(chunks.join("")).toBe(FRAMES.join(""));
  });

  it("stops at STOP_READING: resolves with nothing more handed over, the upstream call cancelled without an unhandled error", async () => {
    const chunks: string[] = [];
    await forEachChunk((await get("/paced")).body, (chunk) => {
      chunks.push(chunk.toString());
      return STOP_READING;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(chunks).toEqual([FRAMES[0]]);
  });

  it("rejects with a handler's own error and cancels the upstream call without an unhandled error", async () => {
    const failure = new Error("client write failed");
    await expect(
      forEachChunk((await get("/paced")).body, () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    await new Promise((resolve) => setTimeout(resolve, 150));
  });

  it("delivers what came before a reset, then rejects", async () => {
    const chunks: string[] = [];
    await expect(forEachChunk((await get("/reset")).body, (chunk) => void chunks.push(chunk.toString()))).rejects.toThrow();
    expect(chunks.join("")).toBe(FRAMES[0]);
  });
});
