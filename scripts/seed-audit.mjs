// Seeds synthetic audit rows for benchmarks: `node scripts/seed-audit.mjs [ROWS] [--days D] [--analyze]`.
// Writes into the configured database (GATEWAY_DATABASE_URL, else $GATEWAY_DATA_DIR/gateway.db),
// migrating it first if needed, through the store's own batched insert.
// Without --analyze the planner has no statistics, as in a gateway's own database.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { importServer, ROOT } from "./bundle-server.mjs";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const index = args.indexOf(name);
  return index === -1 ? fallback : args[index + 1];
};
const rows = Number(args.find((arg) => /^\d+$/.test(arg) && args[args.indexOf(arg) - 1] !== "--days") ?? 1_000_000);
const days = Number(flag("--days", 30));
const BATCH = 10_000;
const { openStore, parseConfig, raw } = await importServer(
  `export { openStore } from "./db/open"; export { parseConfig } from "./server/config"; export { raw } from "./db/program";`,
);
const store = await openStore(parseConfig({ GATEWAY_APP_ROOT: ROOT, ...process.env }));

// A deterministic generator, so two seeded databases are comparable.
let state = 0x9e3779b9;
function random() {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (items) => items[Math.floor(random() * items.length)];
/** Skewed choice: a few users and llms carry most of the traffic, as in real teams. */
const skewed = (items) => items[Math.floor(items.length * random() ** 2.5)];

const USERS = Array.from({ length: 50 }, (_, index) => `user-${String(index).padStart(2, "0")}`);
const LLMS = [
  ["gpt-4o", "openai", "gpt-4o-2024-08-06"],
  ["gpt-4o-mini", "openai", "gpt-4o-mini-2024-07-18"],
  ["claude", "anthropic", "claude-sonnet-4-5"],
  ["claude-haiku", "anthropic", "claude-haiku-4-5"],
  ["deepseek", "deepseek", "deepseek-chat"],
  ["local-llama", "vllm", "meta-llama/Llama-3.1-8B-Instruct"],
  ["ollama-qwen", "ollama", "qwen2.5:7b"],
  ["gemini", "gemini-cli", "gemini-2.5-pro"],
  ["gpt-4.1", "openai", "gpt-4.1"],
  ["o3-mini", "openai", "o3-mini"],
  ["claude-opus", "anthropic", "claude-opus-4-1"],
  ["embedder", "vllm", "bge-m3"],
];
const MANAGEMENT = [
  "login",
  "login",
  "login",
  "logout",
  "login_failed",
  "permission_denied",
  "token_created",
  "llm_updated",
  "secret_updated",
  "rolebinding_created",
];
const STATUSES = [
  [0.94, 200],
  [0.96, 499],
  [0.975, 429],
  [0.985, 403],
  [0.99, 401],
  [0.995, 502],
  [0.998, 500],
  [1, 504],
];
const ERRORS = {
  499: "client closed the request",
  429: "rate limited by upstream",
  403: "missing permission run:llms",
  401: "Invalid or missing credentials",
  502: "upstream unreachable",
  500: "upstream error",
  504: "upstream timed out",
};

const end = Date.now();
const start = end - days * 24 * 60 * 60 * 1000;
const step = (end - start) / rows;

const COLUMNS = [
  "ts",
  "event",
  "requestId",
  "llm",
  "provider",
  "model",
  "user",
  "tokenSha",
  "streaming",
  "status",
  "durationMs",
  "ttftMs",
  "promptTokens",
  "completionTokens",
  "totalTokens",
  "error",
  "clientIp",
  "upstreamRequestId",
  "target",
];
const row = (...values) => Object.fromEntries(COLUMNS.map((column, index) => [column, values[index]]));

function batch(from, to) {
  const rows = [];
  for (let index = from; index < to; index++) {
    const ts = Math.floor(start + index * step + random() * step);
    if (random() < 0.08) {
      const event = pick(MANAGEMENT);
      rows.push(
        row(
          ts,
          event,
          null,
          null,
          null,
          null,
          skewed(USERS),
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          event === "login_failed" ? "wrong password" : null,
          `10.0.${index % 250}.${index % 200}`,
          null,
          event === "login" ? null : "llm gpt-4o",
        ),
      );
      continue;
    }
    const roll = random();
    const status = STATUSES.find(([limit]) => roll < limit)[1];
    const [llm, provider, model] = skewed(LLMS);
    const user = status === 401 ? null : skewed(USERS);
    const streaming = random() < 0.7;
    const ok = status === 200;
    const prompt = ok || status === 499 ? 20 + Math.floor(random() * 3000) : null;
    const completion = ok ? 1 + Math.floor(random() * 800) : null;
    const duration = 50 + Math.floor(random() * (ok ? 8000 : 2000));
    rows.push(
      row(
        ts,
        "llm_inference_call",
        randomUUID(),
        llm,
        status === 401 ? null : provider,
        status === 401 ? null : model,
        user,
        `${(index * 2654435761) % 4294967296}`.padStart(64, "0"),
        streaming,
        status,
        duration,
        ok && streaming ? Math.floor(duration * 0.1) : null,
        prompt,
        completion,
        prompt !== null && completion !== null ? prompt + completion : null,
        ok ? null : ERRORS[status],
        `10.1.${index % 250}.${index % 200}`,
        ok ? `req_${index.toString(36)}` : null,
        null,
      ),
    );
    // Priced at $2.50 / $10 per million tokens, except one call in ten (a model without a price).
    const call = rows.at(-1);
    call.priceSource = prompt === null ? null : index % 10 === 0 ? "none" : "table";
    call.costUsd = call.priceSource === "table" ? (prompt * 2.5 + (completion ?? 0) * 10) / 1e6 : null;
  }
  return rows;
}

await store.ensureAuditRange(start);
const began = performance.now();
for (let from = 0; from < rows; from += BATCH) {
  await store.insertAuditBatch(batch(from, Math.min(rows, from + BATCH)), []);
  if (process.stdout.isTTY) process.stdout.write(`\rseeded ${Math.min(rows, from + BATCH).toLocaleString("en-US")} / ${rows.toLocaleString("en-US")} rows`);
}
if (args.includes("--analyze")) await store.read(() => raw(sql.raw(store.engine === "sqlite" ? "ANALYZE" : "VACUUM ANALYZE audit_events")));
await store.close();
console.log(`\nDone in ${((performance.now() - began) / 1000).toFixed(1)} s: ${rows.toLocaleString("en-US")} rows over ${days} days in ${store.location}`);
