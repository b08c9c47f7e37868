import { listAudit, type AuditFilter } from "../../audit/list";
import { pruneAudit } from "../../audit/prune";
import type { AuditRow } from "../../audit/types";
import type { Context } from "../../context";
import { parseDuration } from "../../tokens/schemas";
import { UsageError, type CommandGroup } from "../args";
import { formatTime, writeJsonLines, writeLine, writeTable } from "../output";

const DEFAULT_LIMIT = 50;
// listAudit returns at most this many rows a call; longer listings follow its cursor.
const PAGE_SIZE = 1000;

export const auditCommands: CommandGroup = {
  name: "audit",
  usage: [
    "audit list [--limit N] [--event E] [--user U] [--llm L] [--api chat|messages|count_tokens|responses|embeddings] [--since 24h] [--json]   # --json: one JSON object per line",
    "audit prune",
  ],
  commands: {
    list: {
      arguments: [],
      readOnly: true,
      flags: { limit: "number", event: "text", user: "text", llm: "text", api: "text", since: "text", json: "switch" },
      async run(invocation, ctx) {
        const since = invocation.text("since");
        const sinceSeconds = since === undefined ? null : parseDuration(since);
        if (since !== undefined && sinceSeconds === null) throw new UsageError("--since must be a number and a unit s, m, h, d or w (e.g. 24h)", "audit");
        const filter = {
          event: invocation.text("event"),
          user: invocation.text("user"),
          llm: invocation.text("llm"),
          // Checked by the verb: an unknown API is a validation error naming the choices.
          api: invocation.text("api") as AuditFilter["api"],
          ...(sinceSeconds === null ? {} : { from: Date.now() - sinceSeconds * 1000 }),
        };
        const rows = await newestRows(ctx, filter, invocation.number("limit") ?? DEFAULT_LIMIT);
        if (invocation.has("json")) {
          writeJsonLines(rows);
          return;
        }
        writeTable(
          ["id", "time", "event", "user", "llm", "api", "status", "ms", "detail"],
          rows.map((row) => [row.id, formatTime(row.ts), row.event, row.user, row.llm, row.api, row.status, row.durationMs, row.error ?? row.target]),
        );
      },
    },
    prune: {
      arguments: [],
      flags: {},
      async run(_invocation, ctx) {
        writeLine(`pruned ${(await pruneAudit({ ctx })).deleted} audit rows`);
      },
    },
  },
};

async function newestRows(ctx: Context, filter: AuditFilter, limit: number): Promise<AuditRow[]> {
  const rows: AuditRow[] = [];
  let before: number | undefined;
  do {
    // The verb validates the limit (0 is refused there), so the first call always goes through it.
    const page = await listAudit({ ctx, input: { ...filter, limit: Math.min(limit - rows.length, PAGE_SIZE), before } });
    rows.push(...page.rows);
    before = page.nextCursor ?? undefined;
  } while (before !== undefined && rows.length < limit);
  return rows;
}
