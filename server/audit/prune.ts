import { lt } from "drizzle-orm";
import { getDb } from "../../db/client";
import { auditEvents } from "../../db/schema";
import { getConfig } from "../config";
import type { Context } from "../context";
import { authorize } from "../rbac/authorize";

/** Deletes rows older than GATEWAY_AUDIT_RETENTION_DAYS. */
export function pruneAudit({ ctx, now = Date.now() }: { ctx: Context; now?: number }): { deleted: number } {
  authorize(ctx, "delete", "audit");
  return pruneAuditRows(now);
}

/** The server's daily pruning calls this directly: it acts for nobody. */
export function pruneAuditRows(now = Date.now()): { deleted: number } {
  const cutoff = now - getConfig().auditRetentionDays * 24 * 60 * 60 * 1000;
  const result = getDb().delete(auditEvents).where(lt(auditEvents.ts, cutoff)).run();
  return { deleted: result.changes };
}
