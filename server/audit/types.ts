import type { auditEvents } from "../../db/sqlite/schema";

export type AuditRow = typeof auditEvents.$inferSelect;
export type NewAuditRow = Omit<typeof auditEvents.$inferInsert, "id">;

export const INFERENCE_EVENT = "llm_inference_call";
