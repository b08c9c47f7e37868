import { run } from "../../db/program";
import type { Store } from "../../db/store";
import type { NewAuditRow } from "./types";

/** Inserts audit rows for tests, with inference-call defaults. */
export async function insertAuditRows(store: Store, auditRows: Array<Partial<NewAuditRow> & { ts: number }>): Promise<void> {
  await store.write(({ db, t }) => run(db.insert(t.auditEvents).values(auditRows.map((row) => ({ event: "llm_inference_call", status: 200, ...row })))));
}
