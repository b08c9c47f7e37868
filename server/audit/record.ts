import { getDb } from "../../db/client";
import { auditEvents } from "../../db/schema";
import type { Transaction } from "../changes";
import type { Principal } from "../auth/principal";
import type { NewAuditRow } from "./types";

export interface ManagementEvent {
  event: string;
  principal: Principal | null;
  target?: string | null;
  clientIp?: string | null;
  error?: string | null;
  userName?: string | null;
}

function toRow(entry: ManagementEvent): NewAuditRow {
  return {
    ts: Date.now(),
    event: entry.event,
    user: entry.userName ?? entry.principal?.userName ?? null,
    tokenSha: entry.principal?.tokenSha ?? null,
    target: entry.target ?? null,
    clientIp: entry.clientIp ?? null,
    error: entry.error ?? null,
  };
}

/** Writes a management row inside the caller's transaction, so it commits with the change. */
export function recordInTransaction(tx: Transaction, entry: ManagementEvent): void {
  tx.insert(auditEvents).values(toRow(entry)).run();
}

/** Writes a management row on its own (logins, denials: nothing else to commit with). */
export function recordNow(entry: ManagementEvent): void {
  getDb().insert(auditEvents).values(toRow(entry)).run();
}
