import { and, count, eq, gt, inArray, lt, ne, sql } from "drizzle-orm";
import { one, raw, run, type Program, type Scope } from "../../db/program";
import { recordInTransaction } from "../audit/record";
import type { LimitView } from "./schemas";
import { describeLimit } from "./describe";

/** One counter's part in an exchange with the database. */
export interface ExchangeItem {
  limit: LimitView;
  subject: string;
  /** Named in a `budget_threshold` event: the user a default limit counted, or null. */
  subjectUser: string | null;
  windowStart: number;
  windowEnd: number | null;
  /** Settled usage to add to the shared counter. */
  publish: number;
  /** Room this replica gives back (what published usage consumed, and spare it no longer needs). */
  giveBack: number;
  /** Room held by this replica's calls in flight, for others to see. */
  reserved: number;
  /** More room wanted: at most `ask`, and none unless at least `least` is free. */
  ask: number;
  least: number;
}

export interface ExchangeOutcome {
  /** The counter's settled usage of every replica, after this exchange. */
  used: number;
  /** Room other live replicas hold, and how much of it their calls in flight use. */
  othersGranted: number;
  othersReserved: number;
  /** Room added to this replica's grant. */
  granted: number;
}

const BUDGET_THRESHOLDS = [80, 100] as const;

/**
 * One transaction: this replica's heartbeat, then for each counter its published usage and
 * returned room, and any room it asks for, handed out only from what neither settled usage nor
 * another live replica holds. The counter row's update comes first, so on PostgreSQL concurrent
 * exchanges on one counter take turns on its row lock; SQLite runs one transaction at a time.
 */
export function* exchange(
  scope: Scope,
  replica: string,
  now: number,
  leaseMs: number,
  items: ExchangeItem[],
): Program<{ live: number; outcomes: Array<ExchangeOutcome | null> }> {
  const { db, t } = scope;
  const fresh = now - leaseMs;
  yield* run(
    db
      .insert(t.limitReplicas)
      .values({ id: replica, heartbeatAt: now })
      .onConflictDoUpdate({ target: t.limitReplicas.id, set: { heartbeatAt: now } }),
  );
  const live = (yield* one(db.select({ n: count() }).from(t.limitReplicas).where(gt(t.limitReplicas.heartbeatAt, fresh))))!.n;
  // A limit deleted since this process last loaded them has no counter to write to. On PostgreSQL
  // the limits are share-locked, so none is deleted (with its counters) while this runs.
  const ids = [...new Set(items.map((item) => item.limit.id))];
  const lock = scope.engine === "postgres" ? sql` FOR KEY SHARE` : sql``;
  const existing = new Set(
    ids.length === 0
      ? []
      : (yield* raw<{ id: number | string }>(
          sql`SELECT id FROM limits WHERE id IN (${sql.join(
            ids.map((id) => sql`${id}`),
            sql`, `,
          )})${lock}`,
        )).map((row) => Number(row.id)),
  );
  const outcomes: Array<ExchangeOutcome | null> = [];
  for (const item of items) {
    outcomes.push(existing.has(item.limit.id) ? yield* exchangeOne(scope, replica, fresh, item) : null);
  }
  return { live, outcomes };
}

function* exchangeOne(scope: Scope, replica: string, fresh: number, item: ExchangeItem): Program<ExchangeOutcome | null> {
  const { db, t } = scope;
  const counterKey = (table: typeof t.limitCounters | typeof t.limitGrants) =>
    and(eq(table.limitId, item.limit.id), eq(table.subject, item.subject), eq(table.windowStart, item.windowStart));
  yield* run(
    db
      .insert(t.limitCounters)
      .values({ limitId: item.limit.id, subject: item.subject, windowStart: item.windowStart, windowEnd: item.windowEnd, used: 0, notified: 0 })
      .onConflictDoNothing(),
  );
  const counter = yield* one(
    db
      .update(t.limitCounters)
      .set({ used: sql`${t.limitCounters.used} + ${item.publish}` })
      .where(counterKey(t.limitCounters))
      .returning({ used: t.limitCounters.used, notified: t.limitCounters.notified }),
  );
  if (!counter) return null;
  const others = (yield* one(
    db
      .select({
        granted: sql<number>`coalesce(sum(${t.limitGrants.amount}), 0)`.mapWith(Number),
        reserved: sql<number>`coalesce(sum(${t.limitGrants.reserved}), 0)`.mapWith(Number),
      })
      .from(t.limitGrants)
      .innerJoin(t.limitReplicas, eq(t.limitReplicas.id, t.limitGrants.replica))
      .where(and(counterKey(t.limitGrants), ne(t.limitGrants.replica, replica), gt(t.limitReplicas.heartbeatAt, fresh))),
  ))!;
  const mine = yield* one(
    db
      .select({ amount: t.limitGrants.amount })
      .from(t.limitGrants)
      .where(and(counterKey(t.limitGrants), eq(t.limitGrants.replica, replica))),
  );
  let amount = Math.max(0, (mine?.amount ?? 0) - item.giveBack);
  const free = item.limit.max - counter.used - others.granted - amount;
  const granted = item.ask > 0 && free >= item.least && free > 0 ? Math.min(item.ask, free) : 0;
  amount += granted;
  if (amount > 0 || item.reserved > 0) {
    yield* run(
      db
        .insert(t.limitGrants)
        .values({ replica, limitId: item.limit.id, subject: item.subject, windowStart: item.windowStart, amount, reserved: item.reserved })
        .onConflictDoUpdate({
          target: [t.limitGrants.replica, t.limitGrants.limitId, t.limitGrants.subject, t.limitGrants.windowStart],
          set: { amount, reserved: item.reserved },
        }),
    );
  } else if (mine) {
    yield* run(db.delete(t.limitGrants).where(and(counterKey(t.limitGrants), eq(t.limitGrants.replica, replica))));
  }
  yield* announceThresholds(scope, item, counter.used, counter.notified, counterKey(t.limitCounters));
  return { used: counter.used, othersGranted: others.granted, othersReserved: others.reserved, granted };
}

/** The first time in a window a token or cost budget passes 80% and 100%: one audit event each, written by whichever replica saw it first. */
function* announceThresholds(scope: Scope, item: ExchangeItem, used: number, notified: number, where: ReturnType<typeof and>): Program<void> {
  const { limit } = item;
  if (limit.metric === "requests" || limit.metric === "concurrent" || limit.max <= 0) return;
  const percent = (used / limit.max) * 100;
  const reached = BUDGET_THRESHOLDS.filter((threshold) => threshold > notified && percent >= threshold);
  if (reached.length === 0) return;
  const level = reached[reached.length - 1]!;
  const { db, t } = scope;
  // Claimed with a conditional update, so two replicas crossing together announce it once.
  const claimed = yield* one(
    db
      .update(t.limitCounters)
      .set({ notified: level })
      .where(and(where, lt(t.limitCounters.notified, level)))
      .returning({ notified: t.limitCounters.notified }),
  );
  if (!claimed) return;
  for (const threshold of reached) {
    yield* recordInTransaction(scope, {
      event: "budget_threshold",
      principal: null,
      userName: item.subjectUser,
      target: `limit ${limit.id}: ${describeLimit(limit)}: ${threshold}%`,
    });
  }
}

/** Forgets replicas silent for `staleMs` and their grants, and counters of windows that ended a day ago. */
export function* sweepLimitState({ db, t }: Scope, now: number, staleMs: number): Program<void> {
  const stale = now - staleMs;
  yield* run(
    db
      .delete(t.limitGrants)
      .where(inArray(t.limitGrants.replica, db.select({ id: t.limitReplicas.id }).from(t.limitReplicas).where(lt(t.limitReplicas.heartbeatAt, stale)))),
  );
  yield* run(db.delete(t.limitReplicas).where(lt(t.limitReplicas.heartbeatAt, stale)));
  yield* run(db.delete(t.limitCounters).where(lt(t.limitCounters.windowEnd, now - 86_400_000)));
}
