import type { Store } from "../../db/store";
import { INFERENCE_EVENT, type NewAuditRow } from "./types";

/** Inserts audit rows for tests, with inference-call defaults, through the audit writer's own statement (the daily rollup included). */
export async function insertAuditRows(store: Store, auditRows: Array<Partial<NewAuditRow> & { ts: number }>): Promise<void> {
  await store.insertAuditBatch(
    auditRows.map((row) => ({ event: INFERENCE_EVENT, status: 200, ...row })),
    [],
  );
}
