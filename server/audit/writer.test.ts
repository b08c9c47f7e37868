import { describe, expect, it } from "vitest";
import { auditRows, useFreshDatabase, currentStore } from "../../tests/helpers/fresh-db";
import { rows } from "../../db/program";
import { auditWriter } from "./writer";

describe("batched audit writer", () => {
  useFreshDatabase();

  it("queues rows without writing and writes every column on flush", async () => {
    auditWriter(currentStore()).enqueue({
      ts: 1,
      event: "llm_inference_call",
      requestId: "r1",
      llm: "gpt",
      provider: "openai",
      model: "gpt-4o",
      user: "alice",
      tokenSha: "ab",
      streaming: true,
      status: 200,
      durationMs: 12,
      ttftMs: 3,
      promptTokens: 5,
      completionTokens: 6,
      totalTokens: 11,
      error: null,
      clientIp: "127.0.0.1",
      upstreamRequestId: "up",
    });
    auditWriter(currentStore()).enqueue({ ts: 2, event: "llm_inference_call", requestId: "r2", status: 499 });
    expect(auditWriter(currentStore()).pending).toBe(2);
    expect(await currentStore().read(({ db, t }) => rows(db.select().from(t.auditEvents)))).toEqual([]);
    await auditWriter(currentStore()).flush();
    expect(auditWriter(currentStore()).pending).toBe(0);
    const [second, first] = await auditRows();
    expect(first).toMatchObject({
      ts: 1,
      requestId: "r1",
      llm: "gpt",
      provider: "openai",
      model: "gpt-4o",
      user: "alice",
      tokenSha: "ab",
      streaming: true,
      status: 200,
      durationMs: 12,
      ttftMs: 3,
      promptTokens: 5,
      completionTokens: 6,
      totalTokens: 11,
      error: null,
      clientIp: "127.0.0.1",
      upstreamRequestId: "up",
      target: null,
    });
    expect(second).toMatchObject({ requestId: "r2", status: 499, llm: null, streaming: null });
  });
});
