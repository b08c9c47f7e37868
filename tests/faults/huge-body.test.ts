import { createHash } from "node:crypto";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../helpers/build";
import { openaiCompletion, startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstream";
import { makeDataDir, startGateway, type RunningGateway } from "../helpers/gateway";
import { auditFor, seedGateway, type SeededTokens } from "../helpers/seed";
import { postTo } from "../security/requests";

const HUGE_BYTES = 50 * 1024 * 1024;

function memoryMb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match![1]) / 1024;
}

const sha = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

/**
 * A 50 MB non-stream answer. Decision: the gateway has no response-size limit of its own (a
 * provider's answer is bounded by max_tokens); it buffers the answer once to read usage, forwards
 * pass-through bytes untouched, and must stay up with its memory bounded and given back.
 */
describe("a 50 MB answer from the upstream", () => {
  let upstream: FakeUpstream;
  let gateway: RunningGateway;
  let tokens: SeededTokens;
  let openaiBody = "";
  let anthropicBody = "";
  let startRss = 0;

  beforeAll(async () => {
    await ensureBuilt();
    const content = "x".repeat(HUGE_BYTES);
    openaiBody = JSON.stringify(openaiCompletion(content));
    anthropicBody = JSON.stringify({
      id: "msg_huge",
      type: "message",
      role: "assistant",
      model: "claude-huge",
      content: [{ type: "text", text: content }],
      stop_reason: "end_turn",
      usage: { input_tokens: 3, output_tokens: 9 },
    });
    upstream = await startFakeUpstream();
    upstream.handle((request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(request.url.endsWith("/messages") ? anthropicBody : openaiBody);
    });
    const dataDir = await makeDataDir();
    tokens = await seedGateway(dataDir, upstream.url);
    gateway = await startGateway({ mode: "lean", dataDir });
    startRss = memoryMb(gateway.process.pid!, "VmRSS");
  });
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  const askHuge = (llm: string) => postTo(gateway.url, `/api/v1/llms/${llm}/infer`, { token: tokens.alice });

  it("pass-through forwards every byte, audits 200, and the server stays healthy", async () => {
    const response = await askHuge("gpt");
    expect(response.status).toBe(200);
    const received = new Uint8Array(await response.arrayBuffer());
    expect(received.byteLength).toBe(Buffer.byteLength(openaiBody));
    expect(sha(received)).toBe(sha(openaiBody));
    const [row] = await auditFor(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ status: 200, totalTokens: 12, model: "gpt-4o-2024-08-06" });
    expect((await fetch(`${gateway.url}/api/health`)).status).toBe(200);
  });

  it("Anthropic translation answers the whole text and audits 200", async () => {
    const response = await askHuge("claude");
    expect(response.status).toBe(200);
    const completion = (await response.json()) as { choices: Array<{ message: { content: string } }>; usage: { total_tokens: number } };
    expect(completion.choices[0]!.message.content.length).toBe(HUGE_BYTES);
    expect(completion.usage.total_tokens).toBe(12);
    const [row] = await auditFor(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ status: 200, model: "claude-huge" });
  });

  it("memory is bounded per answer and reused: more huge answers do not raise the peak", async () => {
    const pid = gateway.process.pid!;
    const drain = async (llm: string) => expect((await (await askHuge(llm)).arrayBuffer()).byteLength).toBeGreaterThan(HUGE_BYTES);
    await drain("gpt");
    await drain("claude");
    const peakAfterOne = memoryMb(pid, "VmHWM");
    for (let round = 0; round < 3; round += 1) {
      await drain("gpt");
      await drain("claude");
    }
    // A handful of copies of one answer (body, string, translated JSON), never one per request served.
    expect(peakAfterOne - startRss).toBeLessThan(700);
    expect(memoryMb(pid, "VmHWM") - peakAfterOne).toBeLessThan(200);
    expect(memoryMb(pid, "VmRSS")).toBeLessThan(startRss + 700);
    expect((await fetch(`${gateway.url}/api/health`)).status).toBe(200);
  });
});
