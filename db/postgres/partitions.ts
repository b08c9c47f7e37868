import type pg from "pg";

// The audit log is range-partitioned by month on ts (epoch ms). Partitions are made ahead of time
// (this month and the next two); older months a copy brings in get theirs when it does. Retention
// drops whole months, so pruning costs the same at ten million rows as at ten thousand.
const MONTHS_AHEAD = 2;

export interface MonthRange {
  name: string;
  from: number;
  to: number;
}

/** The month that holds `ts` (UTC), as a partition name and bounds. */
export function monthOf(ts: number): MonthRange {
  const date = new Date(ts);
  const from = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const to = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  const name = `audit_events_${date.getUTCFullYear()}_${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
  return { name, from, to };
}

type Queryable = Pick<pg.ClientBase, "query">;

/** Makes the monthly partitions from the month of `fromTs` to MONTHS_AHEAD after the month of `now`. */
export async function ensureAuditPartitions(client: Queryable, now: number, fromTs = now): Promise<void> {
  const last = monthOf(now);
  const end = monthOf(Date.UTC(new Date(last.from).getUTCFullYear(), new Date(last.from).getUTCMonth() + MONTHS_AHEAD, 1)).to;
  for (let month = monthOf(fromTs); month.from < end; month = monthOf(month.to)) {
    // Another replica may be making the same one; IF NOT EXISTS and a retry on the race.
    await client
      .query(`CREATE TABLE IF NOT EXISTS ${month.name} PARTITION OF audit_events FOR VALUES FROM (${month.from}) TO (${month.to})`)
      .catch((error: { code?: string }) => {
        if (error.code !== "42P07") throw error;
      });
  }
}

/** Drops the months that end at or before `cutoff`, then deletes what is older inside the rest. Returns rows removed. */
export async function pruneAuditPartitions(client: Queryable, cutoff: number): Promise<number> {
  const partitions = await client.query<{ name: string; bound: string }>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'audit_events'::regclass`,
  );
  let removed = 0;
  for (const { name, bound } of partitions.rows) {
    const match = /TO \('?(\d+)'?\)/.exec(bound);
    if (!match || Number(match[1]) > cutoff) continue;
    const counted = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`);
    await client.query(`DROP TABLE ${name}`);
    removed += Number(counted.rows[0]!.n);
  }
  const deleted = await client.query("DELETE FROM audit_events WHERE ts < $1", [cutoff]);
  return removed + (deleted.rowCount ?? 0);
}
