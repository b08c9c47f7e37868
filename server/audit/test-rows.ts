import { getDb } from "../../db/client";
import { auditEvents } from "../../db/schema";
import type { NewAuditRow } from "./types";

/** Inserts audit rows for tests, with inference-call defaults. */
export function insertAuditRows(rows: Array<Partial<NewAuditRow> & { ts: number }>): void {
  getDb()
    .insert(auditEvents)
    .values(rows.map((row) => ({ event: "llm_inference_call", status: 200, ...row })))
    .run();
}
