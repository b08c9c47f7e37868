import type { Store } from "../../db/store";
import { run, type Program, type Scope } from "../../db/program";
import type { Principal } from "../auth/principal";
import type { NewAuditRow } from "./types";
import { auditWriter } from "./writer";

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
export function* recordInTransaction({ db, t }: Scope, entry: ManagementEvent): Program<void> {
  yield* run(db.insert(t.auditEvents).values(toRow(entry)));
}

/** Queues a row that commits with nothing else (logins, denials) for the batched writer, which writes it within moments. */
export function recordSoon(store: Store, entry: ManagementEvent): void {
  auditWriter(store).enqueue(toRow(entry));
}
