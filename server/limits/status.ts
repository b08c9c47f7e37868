import { and, eq, gt, inArray, ne, sql } from "drizzle-orm";
import { rows, type Program, type Scope } from "../../db/program";
import type { Store } from "../../db/store";
import { replicaFigures } from "./meter";
import type { LimitView } from "./schemas";
import { counterKey, windowAt } from "./windows";

/** How full a limit is in its current window, for one subject (or the fullest one). */
export interface LimitFill {
  /** Settled usage of every replica (this one's not yet published included). */
  used: number;
  /** Held by calls in flight on every live replica. */
  reserved: number;
  remaining: number;
  /** When the window ends (ISO 8601); null for `concurrent`. */
  resetsAt: string | null;
  /** For a default limit (counted per user): whose figures these are. */
  userId: number | null;
}

interface CounterFigures {
  limitId: number;
  subject: string;
  windowStart: number;
  used: number;
  reserved: number;
}

/** Shared counters and other replicas' reservations of `limits`' current windows. */
function* currentCounters({ db, t }: Scope, limits: LimitView[], now: number, exceptReplica: string, leaseMs: number): Program<CounterFigures[]> {
  if (limits.length === 0) return [];
  const ids = limits.map((limit) => limit.id);
  const counters = yield* rows(
    db
      .select({ limitId: t.limitCounters.limitId, subject: t.limitCounters.subject, windowStart: t.limitCounters.windowStart, used: t.limitCounters.used })
      .from(t.limitCounters)
      .where(inArray(t.limitCounters.limitId, ids)),
  );
  const held = yield* rows(
    db
      .select({
        limitId: t.limitGrants.limitId,
        subject: t.limitGrants.subject,
        windowStart: t.limitGrants.windowStart,
        reserved: sql<number>`sum(${t.limitGrants.reserved})`.mapWith(Number),
      })
      .from(t.limitGrants)
      .innerJoin(t.limitReplicas, eq(t.limitReplicas.id, t.limitGrants.replica))
      .where(and(inArray(t.limitGrants.limitId, ids), ne(t.limitGrants.replica, exceptReplica), gt(t.limitReplicas.heartbeatAt, now - leaseMs)))
      .groupBy(t.limitGrants.limitId, t.limitGrants.subject, t.limitGrants.windowStart),
  );
  const current = new Map(limits.map((limit) => [limit.id, windowAt(limit.window, now).start]));
  const figures = new Map<string, CounterFigures>();
  const entry = (limitId: number, subject: string, windowStart: number) => {
    const key = counterKey(limitId, subject, windowStart);
    let found = figures.get(key);
    if (!found) {
      found = { limitId, subject, windowStart, used: 0, reserved: 0 };
      figures.set(key, found);
    }
    return found;
  };
  for (const row of counters) if (current.get(row.limitId) === row.windowStart) entry(row.limitId, row.subject, row.windowStart).used += row.used;
  for (const row of held) if (current.get(row.limitId) === row.windowStart) entry(row.limitId, row.subject, row.windowStart).reserved += row.reserved;
  return [...figures.values()];
}

/**
 * How full each limit is now. With `userId`, a default limit's figures are that user's; without,
 * the fullest user's. Reads the database once (plus this replica's figures from memory).
 */
export async function limitFills(store: Store, limits: LimitView[], userId: number | null = null): Promise<Map<number, LimitFill>> {
  const now = Date.now();
  const local = replicaFigures(store);
  const counters = await store.read((scope) => currentCounters(scope, limits, now, local.replica, store.config.limitLeaseMs));
  const fills = new Map<number, LimitFill>();
  for (const limit of limits) {
    const { start, end } = windowAt(limit.window, now);
    const resetsAt = end === null ? null : new Date(end).toISOString();
    const subjects = limit.scope.default ? (userId === null ? null : String(userId)) : "";
    let best: LimitFill | null = null;
    const consider = (subject: string, used: number, reserved: number) => {
      const mine = local.figures(limit.id, subject, start);
      const total = { used: used + mine.pending, reserved: reserved + mine.reserved };
      const fill: LimitFill = {
        ...total,
        remaining: Math.max(0, limit.max - total.used - total.reserved),
        resetsAt,
        userId: limit.scope.default && subject !== "" ? Number(subject) : null,
      };
      if (!best || fill.used + fill.reserved > best.used + best.reserved) best = fill;
    };
    const rowsOfLimit = counters.filter((row) => row.limitId === limit.id && (subjects === null || row.subject === subjects));
    for (const row of rowsOfLimit) consider(row.subject, row.used, row.reserved);
    for (const subject of local.subjects(limit.id, start)) {
      if ((subjects === null || subject === subjects) && !rowsOfLimit.some((row) => row.subject === subject)) consider(subject, 0, 0);
    }
    if (!best) consider(subjects ?? "", 0, 0);
    fills.set(limit.id, best!);
  }
  return fills;
}
