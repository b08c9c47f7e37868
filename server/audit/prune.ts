import type { Store } from "../../db/store";
import type { Context } from "../context";
import { authorize } from "../rbac/authorize";

/** Deletes rows older than GATEWAY_AUDIT_RETENTION_DAYS. */
export async function pruneAudit({ ctx, now = Date.now() }: { ctx: Context; now?: number }): Promise<{ deleted: number }> {
  authorize(ctx, "delete", "audit");
  return pruneAuditRows(ctx.store, now);
}

/** The server's daily pruning calls this directly: it acts for nobody. */
export async function pruneAuditRows(store: Store, now = Date.now()): Promise<{ deleted: number }> {
  const cutoff = now - store.config.auditRetentionDays * 24 * 60 * 60 * 1000;
  return { deleted: await store.pruneAudit(cutoff) };
}
