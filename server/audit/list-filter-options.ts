import { getDb } from "../../db/client";
import type { Context } from "../context";
import { authorize } from "../rbac/authorize";

const LIMIT = 500;

// Distinct values by skipping through each column's index (one seek per value), so the
// filter menus cost the same at a million rows as at a hundred.
const DISTINCT_SQL = (column: "event" | "user" | "llm") => `
  WITH RECURSIVE v(x) AS (
    SELECT (SELECT min("${column}") FROM audit_events WHERE "${column}" IS NOT NULL)
    UNION ALL
    SELECT (SELECT min("${column}") FROM audit_events WHERE "${column}" > v.x) FROM v WHERE v.x IS NOT NULL
  )
  SELECT x FROM v WHERE x IS NOT NULL LIMIT ${LIMIT}`;

export interface AuditFilterOptions {
  events: string[];
  users: string[];
  llms: string[];
}

/** The values the audit log holds for its filterable text columns. */
export function listAuditFilterOptions({ ctx }: { ctx: Context }): AuditFilterOptions {
  authorize(ctx, "view", "audit");
  const client = getDb().$client;
  const distinct = (column: "event" | "user" | "llm") => client.prepare(DISTINCT_SQL(column)).pluck().all() as string[];
  return { events: distinct("event"), users: distinct("user"), llms: distinct("llm") };
}
