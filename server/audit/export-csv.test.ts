import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { raw } from "../../db/program";
import { ADMIN_CONTEXT, contextFor, useFreshDatabase, currentStore } from "../../tests/helpers/fresh-db";
import { csvField } from "./csv";
import { auditFilterFromParams, exportAuditCsv } from "./export-csv";
import { insertAuditRows } from "./test-rows";

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("exportAuditCsv", () => {
  useFreshDatabase();

  it("streams the filtered rows newest first with a header", async () => {
    await insertAuditRows(currentStore(), [
      { ts: Date.UTC(2025, 0, 1), user: "alice", llm: "a", promptTokens: 3 },
      { ts: Date.UTC(2025, 0, 2), user: "bob", llm: "a", status: 403, error: 'missing permission run:llms:a, "quoted"' },
      { ts: Date.UTC(2025, 0, 3), user: "alice", llm: "b" },
    ]);
    const lines = (await text(await exportAuditCsv({ ctx: ADMIN_CONTEXT, input: { llm: "a" } }))).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "id,ts,time,event,user,llm,provider,model,status,streaming,duration_ms,ttft_ms,prompt_tokens,completion_tokens,total_tokens,cache_read_tokens,cache_write_tokens,reasoning_tokens,cost_usd,price_source,error,target,client_ip,request_id,upstream_request_id,token_sha,served_by,attempts,api,session_id",
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`2,${Date.UTC(2025, 0, 2)},2025-01-02T00:00:00.000Z,llm_inference_call,bob,a,,,403,`);
    expect(lines[1]).toContain('"missing permission run:llms:a, ""quoted"""');
    expect(lines[2]).toMatch(/^1,.*,alice,a,/);
  });

  it("streams many rows in chunks and leaves the shared connection free for writes", async () => {
    await insertAuditRows(
      currentStore(),
      Array.from({ length: 1200 }, (_, index) => ({ ts: index, user: "u" })),
    );
    const reader = (await exportAuditCsv({ ctx: ADMIN_CONTEXT, input: {} })).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^id,ts,/);
    const firstPage = await reader.read();
    // Mid-export, the gateway keeps writing audit rows: newer than the page already read, so not in this export.
    await insertAuditRows(currentStore(), [{ ts: 99_999, user: "writer" }]);
    let body = new TextDecoder().decode(firstPage.value);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      body += new TextDecoder().decode(value);
    }
    expect(body.trimEnd().split("\r\n")).toHaveLength(1200);
    const [counted] = await currentStore().read(() => raw<{ n: number }>(sql`select count(*) as n from audit_events`));
    expect(Number(counted!.n)).toBe(1201);
  });

  it("can be cancelled half way", async () => {
    await insertAuditRows(
      currentStore(),
      Array.from({ length: 1200 }, (_, index) => ({ ts: index })),
    );
    const reader = (await exportAuditCsv({ ctx: ADMIN_CONTEXT, input: {} })).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
  });

  it("is forbidden without view:audit", async () => {
    expect(() => exportAuditCsv({ ctx: contextFor("eve", []), input: {} })).toThrow("missing permission view:audit");
  });
});

describe("auditFilterFromParams", () => {
  it("reads the list's filter from a query string", async () => {
    expect(auditFilterFromParams(new URLSearchParams("event=llm_inference_call&user=alice&llm=&statusClass=4&from=10&to=20"))).toEqual({
      event: "llm_inference_call",
      user: "alice",
      statusClass: 4,
      from: 10,
      to: 20,
    });
    expect(() => auditFilterFromParams(new URLSearchParams("from=yesterday"))).toThrow("from: must be an integer");
    expect(() => auditFilterFromParams(new URLSearchParams("statusClass=9"))).toThrow(/statusClass/);
  });
});

describe("csvField", () => {
  it("quotes, escapes and defuses formulas", async () => {
    expect(csvField(null)).toBe("");
    expect(csvField(12)).toBe("12");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField("=cmd()")).toBe("'=cmd()");
  });

  it("a cell holding a `;` is quoted, so readers that split on `;` see no formula cell", async () => {
    expect(csvField(";=1+1;")).toBe('";=1+1;"');
    expect(csvField("a;@SUM(1)")).toBe('"a;@SUM(1)"');
    expect(csvField('+1;"x"')).toBe(`"'+1;""x"""`);
  });
});
