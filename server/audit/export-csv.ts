import Database from "better-sqlite3";
import { and, desc } from "drizzle-orm";
import { getDb } from "../../db/client";
import { auditEvents } from "../../db/schema";
import { authenticate } from "../auth/authenticate";
import type { Context } from "../context";
import { UnauthenticatedError, ValidationError } from "../errors";
import { forwardedClientIp } from "../http/edge";
import { consoleErrorResponse } from "../http/console-errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { csvLine } from "./csv";
import { AuditFilter, auditConditions } from "./list";

/** CSV columns, in order: header name and the column it reads. */
const COLUMNS = [
  ["id", auditEvents.id],
  ["ts", auditEvents.ts],
  ["time", auditEvents.ts],
  ["event", auditEvents.event],
  ["user", auditEvents.user],
  ["llm", auditEvents.llm],
  ["provider", auditEvents.provider],
  ["model", auditEvents.model],
  ["status", auditEvents.status],
  ["streaming", auditEvents.streaming],
  ["duration_ms", auditEvents.durationMs],
  ["ttft_ms", auditEvents.ttftMs],
  ["prompt_tokens", auditEvents.promptTokens],
  ["completion_tokens", auditEvents.completionTokens],
  ["total_tokens", auditEvents.totalTokens],
  ["error", auditEvents.error],
  ["target", auditEvents.target],
  ["client_ip", auditEvents.clientIp],
  ["request_id", auditEvents.requestId],
  ["upstream_request_id", auditEvents.upstreamRequestId],
  ["token_sha", auditEvents.tokenSha],
] as const;
const TIME_COLUMN = 2;
const ROWS_PER_CHUNK = 500;

function formatRow(row: unknown[]): string {
  const values = row.slice();
  values[TIME_COLUMN] = new Date(values[TIME_COLUMN] as number).toISOString();
  return csvLine(values);
}

/**
 * The rows the filter selects, newest first, as a CSV byte stream produced row by row from a
 * SQLite iterator as the client reads. It runs on its own read-only connection: an open
 * iterator keeps a connection busy, and the shared one must stay free for writes.
 */
export function exportAuditCsv({ ctx, input }: { ctx: Context; input: AuditFilter }): ReadableStream<Uint8Array> {
  authorize(ctx, "view", "audit");
  const conditions = auditConditions(parseInput(AuditFilter, input));
  const query = getDb()
    .select(Object.fromEntries(COLUMNS.map(([name, column], index) => [`c${index}_${name}`, column])))
    .from(auditEvents)
    .where(conditions.length ? and(...conditions) : undefined)
    // Newest first by time: the (ts) and (column, ts) indexes deliver rows in this order, so
    // SQLite streams them without sorting the whole selection first.
    .orderBy(desc(auditEvents.ts), desc(auditEvents.id))
    .toSQL();
  const connection = new Database(getDb().$client.name, { readonly: true, fileMustExist: true });
  connection.pragma("busy_timeout = 5000");
  const rows = connection
    .prepare(query.sql)
    .raw(true)
    .iterate(...(query.params as unknown[])) as IterableIterator<unknown[]>;
  const encoder = new TextEncoder();
  const finish = () => {
    rows.return?.();
    if (connection.open) connection.close();
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(csvLine(COLUMNS.map(([name]) => name))));
      },
      pull(controller) {
        try {
          let chunk = "";
          for (let count = 0; count < ROWS_PER_CHUNK; count++) {
            const next = rows.next();
            if (next.done) {
              finish();
              if (chunk) controller.enqueue(encoder.encode(chunk));
              controller.close();
              return;
            }
            chunk += formatRow(next.value);
          }
          controller.enqueue(encoder.encode(chunk));
        } catch (error) {
          finish();
          controller.error(error);
        }
      },
      cancel() {
        finish();
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
export function exportAuditCsvFromRequest(request: Request): Response {
  try {
    const auth = authenticate({ authorization: request.headers.get("authorization"), cookie: request.headers.get("cookie") });
    if (!auth.ok) throw new UnauthenticatedError();
    const ctx: Context = { principal: auth.principal, clientIp: forwardedClientIp(request.headers.get("x-forwarded-for")) };
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
