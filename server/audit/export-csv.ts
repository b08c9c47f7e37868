import { and, desc, lt, lte, or } from "drizzle-orm";
import { rows } from "../../db/program";
import { authenticate } from "../auth/authenticate";
import type { Context } from "../context";
import { UnauthenticatedError, ValidationError } from "../errors";
import { forwardedClientIp } from "../http/edge";
import { consoleErrorResponse } from "../http/console-errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { csvLine } from "./csv";
import { AuditFilter, auditConditions } from "./list";
import type { AuditRow } from "./types";
import { processStore } from "../runtime/process-store";

/** CSV columns, in order: header name and the column it reads. */
const COLUMNS = [
  ["id", "id"],
  ["ts", "ts"],
  ["time", "ts"],
  ["event", "event"],
  ["user", "user"],
  ["llm", "llm"],
  ["provider", "provider"],
  ["model", "model"],
  ["status", "status"],
  ["streaming", "streaming"],
  ["duration_ms", "durationMs"],
  ["ttft_ms", "ttftMs"],
  ["prompt_tokens", "promptTokens"],
  ["completion_tokens", "completionTokens"],
  ["total_tokens", "totalTokens"],
  ["cache_read_tokens", "cacheReadTokens"],
  ["cache_write_tokens", "cacheWriteTokens"],
  ["reasoning_tokens", "reasoningTokens"],
  ["cost_usd", "costUsd"],
  ["price_source", "priceSource"],
  ["error", "error"],
  ["target", "target"],
  ["client_ip", "clientIp"],
  ["request_id", "requestId"],
  ["upstream_request_id", "upstreamRequestId"],
  ["token_sha", "tokenSha"],
  ["served_by", "servedBy"],
  ["attempts", "attempts"],
  ["api", "api"],
  ["session_id", "sessionId"],
] as const satisfies ReadonlyArray<readonly [string, keyof AuditRow]>;
const ROWS_PER_PAGE = 5000;

function formatRow(row: AuditRow): string {
  return csvLine(COLUMNS.map(([name, field]) => (name === "time" ? new Date(row.ts).toISOString() : row[field])));
}

/**
 * The rows the filter selects, newest first, as a CSV byte stream read a page at a time as the
 * client reads: keyset pages on (ts, id), so no connection or transaction stays open between
 * pages and each page is an index range scan on either engine.
 */
export function exportAuditCsv({ ctx, input }: { ctx: Context; input: AuditFilter }): ReadableStream<Uint8Array> {
  authorize(ctx, "view", "audit");
  const filter = parseInput(AuditFilter, input);
  const encoder = new TextEncoder();
  let after: { ts: number; id: number } | null = null;
  const nextPage = () =>
    ctx.store.read(({ db, t }) => {
      const { auditEvents } = t;
      const conditions = auditConditions(t, filter);
      // Spelled out rather than as a row comparison, so both engines bound the (ts) index range by it.
      if (after) conditions.push(lte(auditEvents.ts, after.ts), or(lt(auditEvents.ts, after.ts), lt(auditEvents.id, after.id))!);
      return rows(
        db
          .select()
          .from(auditEvents)
          .where(conditions.length ? and(...conditions) : undefined)
          .orderBy(desc(auditEvents.ts), desc(auditEvents.id))
          .limit(ROWS_PER_PAGE),
      );
    });
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(csvLine(COLUMNS.map(([name]) => name))));
      },
      async pull(controller) {
        const page = await nextPage();
        if (page.length > 0) {
          const last = page[page.length - 1]!;
          after = { ts: last.ts, id: last.id };
          controller.enqueue(encoder.encode(page.map(formatRow).join("")));
        }
        if (page.length < ROWS_PER_PAGE) controller.close();
      },
    },
    { highWaterMark: 1 },
  );
}

const NUMBER_PARAMS = ["statusClass", "from", "to"] as const;
const TEXT_PARAMS = ["event", "user", "llm"] as const;

/** Query string → AuditFilter; empty parameters are absent, numbers must be integers. */
export function auditFilterFromParams(params: URLSearchParams): AuditFilter {
  const filter: Record<string, string | number> = {};
  for (const key of TEXT_PARAMS) {
    const value = params.get(key);
    if (value) filter[key] = value;
  }
  for (const key of NUMBER_PARAMS) {
    const value = params.get(key);
    if (!value) continue;
    if (!/^-?\d+$/.test(value)) throw new ValidationError(`${key}: must be an integer`, key);
    filter[key] = Number(value);
  }
  return parseInput(AuditFilter, filter);
}

function csvFileName(now = new Date()): string {
  return `audit-${now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-")}.csv`;
}

/** `GET /api/audit/export?event=&user=&llm=&statusClass=&from=&to=`: session cookie or bearer token with view:audit. */
export async function exportAuditCsvFromRequest(request: Request): Promise<Response> {
  try {
    const store = await processStore();
    const auth = await authenticate(store, { authorization: request.headers.get("authorization"), cookie: request.headers.get("cookie") });
    if (!auth.ok) throw new UnauthenticatedError();
    const ctx: Context = { principal: auth.principal, clientIp: forwardedClientIp(request.headers.get("x-forwarded-for")), store };
    const body = exportAuditCsv({ ctx, input: auditFilterFromParams(new URL(request.url).searchParams) });
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${csvFileName()}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (error) {
    return consoleErrorResponse(error);
  }
}
