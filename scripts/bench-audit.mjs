// Times the audit page's queries on the configured database (GATEWAY_DATABASE_URL, else
// $GATEWAY_DATA_DIR/gateway.db; seed it with scripts/seed-audit.mjs) and prints a Markdown table:
// `node scripts/bench-audit.mjs [--runs N] [--plans]` (--plans: SQLite's query plans).
// It calls the real server functions (bundled on the fly with esbuild), not copies of their SQL.
import fs from "node:fs";
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { importServer, ROOT } from "./bundle-server.mjs";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] ?? 0) || 7;
const showPlans = args.includes("--plans");

const audit = await importServer(`
  export { parseConfig } from "./server/config";
  export { listAudit } from "./server/audit/list";
  export { auditTotals } from "./server/audit/totals";
  export { auditHourly } from "./server/audit/hourly";
  export { listAuditFilterOptions } from "./server/audit/list-filter-options";
  export { exportAuditCsv } from "./server/audit/export-csv";
  export { usageSummary } from "./server/usage/summary";
  export { openStore } from "./db/open";
  export { raw } from "./db/program";`);
// The configuration a gateway here would have: GATEWAY_DATABASE_URL, else $GATEWAY_DATA_DIR/gateway.db.
const config = audit.parseConfig({ GATEWAY_APP_ROOT: ROOT, ...process.env });
if (!config.databaseUrl && !fs.existsSync(config.databasePath)) {
  console.error(`No database at ${config.databasePath}; run scripts/seed-audit.mjs first (same GATEWAY_DATA_DIR).`);
  process.exit(2);
}
const store = await audit.openStore(config);

// Remember the last statement each case ran, to show its query plan with --plans.
let lastStatement = null;
const statementProto = Object.getPrototypeOf(new Database(":memory:").prepare("select 1"));
for (const method of ["all", "get", "iterate"]) {
  const original = statementProto[method];
  statementProto[method] = function (...params) {
    if (/audit_events/.test(this.source) && !/^EXPLAIN/.test(this.source)) lastStatement = { sql: this.source, params };
    return original.apply(this, params);
  };
}

const ctx = {
  principal: { userId: 1, userName: "bench", bindings: [{ role: "admin", resource: "*", name: null }], via: "cli", tokenId: null, tokenSha: null },
  clientIp: null,
  store,
};
const scalar = async (query) => {
  const [row] = await store.read(() => audit.raw(query));
  return row ? Object.values(row)[0] : null;
};
const total = Number(await scalar(sql`SELECT count(*) AS n FROM audit_events`));
const now = Number((await scalar(sql`SELECT max(ts) AS n FROM audit_events`)) ?? Date.now());
const busyUser = await scalar(sql`SELECT "user" FROM audit_events WHERE "user" IS NOT NULL GROUP BY "user" ORDER BY count(*) DESC LIMIT 1`);
const rareUser = await scalar(sql`SELECT "user" FROM audit_events WHERE "user" IS NOT NULL GROUP BY "user" ORDER BY count(*) ASC LIMIT 1`);
const busyLlm = await scalar(sql`SELECT llm FROM audit_events WHERE llm IS NOT NULL GROUP BY llm ORDER BY count(*) DESC LIMIT 1`);
const middleId = Number(await scalar(sql`SELECT id FROM audit_events ORDER BY id LIMIT 1 OFFSET ${Math.floor(total / 2)}`));
const HOUR = 3_600_000;
const day = { from: now - 24 * HOUR, to: now + 1 };
const week = { from: now - 7 * 24 * HOUR, to: now + 1 };
const month = { from: now - 30 * 24 * HOUR, to: now + 1 };

const list = (input) => async () => (await audit.listAudit({ ctx, input: { limit: 100, ...input } })).rows.length;
const totals = (input) => async () => (await audit.auditTotals({ ctx, input })).events;
const hourly = (input) => async () => (await audit.auditHourly({ ctx, input, now })).hours.length;
const usage = (input) => async () => (await audit.usageSummary({ ctx, input })).byDay.length;
async function csv(input) {
  const reader = audit.exportAuditCsv({ ctx, input }).getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.byteLength;
  }
}

const cases = [
  ["list", "no filter, first page", list({})],
  ["list", "no filter, page at the middle (cursor)", list({ before: middleId })],
  ["list", "event = llm_inference_call", list({ event: "llm_inference_call" })],
  ["list", "event = login", list({ event: "login" })],
  ["list", `user = ${busyUser} (busiest)`, list({ user: busyUser })],
  ["list", `user = ${rareUser} (rarest)`, list({ user: rareUser })],
  ["list", `llm = ${busyLlm}`, list({ llm: busyLlm })],
  ["list", "status 5xx", list({ statusClass: 5 })],
  ["list", "last 24 h", list(day)],
  ["list", "last 7 d", list(week)],
  ["list", `user = ${rareUser}, last 24 h`, list({ user: rareUser, ...day })],
  ["list", `llm = ${busyLlm}, status 4xx, last 7 d`, list({ llm: busyLlm, statusClass: 4, ...week })],
  ["totals", "last 24 h", totals(day)],
  ["totals", "last 7 d", totals(week)],
  ["totals", "everything", totals({})],
  ["totals", `user = ${busyUser}, last 7 d`, totals({ user: busyUser, ...week })],
  ["totals", `llm = ${busyLlm}, last 24 h`, totals({ llm: busyLlm, ...day })],
  ["totals", "status 5xx, last 7 d", totals({ statusClass: 5, ...week })],
  ["hourly", "last 24 h", hourly(day)],
  ["hourly", "last 7 d", hourly(week)],
  ["hourly", `user = ${busyUser}, last 7 d`, hourly({ user: busyUser, ...week })],
  ["hourly", `llm = ${busyLlm}, last 24 h`, hourly({ llm: busyLlm, ...day })],
  ["filterOptions", "distinct events, users, llms", async () => (await audit.listAuditFilterOptions({ ctx })).users.length],
  ["csv export", "last 24 h (bytes streamed)", () => csv(day)],
  ["usage (console page)", "last 7 d", usage(week)],
  ["usage (console page)", "last 30 d", usage(month)],
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = [];
for (const [query, filter, run] of cases) {
  lastStatement = null;
  let size = await run();
  const plan =
    showPlans && lastStatement && !config.databaseUrl
      ? new Database(config.databasePath, { readonly: true })
          .prepare(`EXPLAIN QUERY PLAN ${lastStatement.sql}`)
          .all(...lastStatement.params)
          .map((row) => row.detail)
          .join("; ")
      : "";
  const times = [];
  for (let index = 0; index < runs; index++) {
    const started = performance.now();
    size = await run();
    times.push(performance.now() - started);
  }
  results.push({ query, filter, size, median: median(times), max: Math.max(...times), plan });
}
await store.close();

console.log(`Audit queries on ${total.toLocaleString("en-US")} rows (${store.engine}: ${store.location}), ${runs} runs each, Node ${process.version}\n`);
console.log(`| query | filter | result size | median ms | max ms |${showPlans ? " plan |" : ""}`);
console.log(`|---|---|---:|---:|---:|${showPlans ? "---|" : ""}`);
for (const row of results) {
  console.log(
    `| ${row.query} | ${row.filter} | ${row.size.toLocaleString("en-US")} | ${row.median.toFixed(1)} | ${row.max.toFixed(1)} |${showPlans ? ` ${row.plan} |` : ""}`,
  );
}
