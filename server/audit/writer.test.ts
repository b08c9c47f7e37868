import { describe, expect, it } from "vitest";
import { auditRows, useFreshDatabase } from "../../tests/helpers/fresh-db";
import { enqueueAuditRow, flushAudit, pendingAuditRows } from "./writer";

describe("batched audit writer", () => {
  useFreshDatabase();

  it("queues rows without writing and writes every column on flush", () => {
    enqueueAuditRow({
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
    enqueueAuditRow({ ts: 2, event: "llm_inference_call", requestId: "r2", status: 499 });
    expect(pendingAuditRows()).toBe(2);
    expect(auditRows()).toEqual([]);
    flushAudit();
    expect(pendingAuditRows()).toBe(0);
    const [second, first] = auditRows();
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
