// `npm run bench`: the gateway against a bare node:http + undici proxy, a TCP relay (the floor of
// any proxy here) and calling the fake provider directly, in interleaved rounds. Writes
// bench/results.md. Options:
//   --quick (short rounds)  --rounds N  --seconds S  --streams N (streams-held test, default 500)
//   --postgres URL: also runs the non-stream scenario against a gateway on that (empty) PostgreSQL
//   database, in the same rounds, and reports its CPU per request beside SQLite's.
import { execFileSync, fork, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { ROOT, buildIsStale } from "../scripts/build-info.mjs";
import { ownRssMb, peakRssMb, percentile, rssMb, sleep, spawnGateway, summarize, waitForHealth } from "./measure.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const quick = args.includes("--quick");
const ROUNDS = option("rounds", quick ? 1 : 3);
const SECONDS = option("seconds", quick ? 1 : 2);
const HELD_STREAMS = option("streams", 500);
// Each load run starts with this long a warm-up that no figure includes (the load client's own
// JIT and connection setup would otherwise make the tail latencies).
const WARMUP_MS = 500;
const CONCURRENCY = [1, 16, 64];
const KEY = "sk-bench-provider-key";
const POSTGRES_URL = args.includes("--postgres") ? args[args.indexOf("--postgres") + 1] : null;
const POSTGRES_ENV = POSTGRES_URL ? { GATEWAY_DATABASE_URL: POSTGRES_URL, GATEWAY_MASTER_KEY: Buffer.alloc(32, 3).toString("base64") } : null;

const SCENARIOS = [
  { name: "non-stream", llm: "bench-json", upstreamPath: "/s/0/0/v1/chat/completions", stream: false },
  { name: "stream 20 chunks", llm: "bench-s20", upstreamPath: "/s/20/0/v1/chat/completions", stream: true },
  { name: "stream 200 chunks", llm: "bench-s200", upstreamPath: "/s/200/0/v1/chat/completions", stream: true },
  { name: "stream 100 chunks 10 ms apart", llm: "bench-paced", upstreamPath: "/s/100/10/v1/chat/completions", stream: true, paced: true },
  { name: "Anthropic-translated stream (20 chunks)", llm: "bench-claude", upstreamPath: "/s/20/0/v1/chat/completions", stream: true, translated: true },
];

function start(script, argv) {
  const child = fork(script, argv, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve) => child.once("message", (message) => resolve({ child, port: message.port })));
}

function cli(dataDir, argv, input, env = {}) {
  return execFileSync(process.execPath, [path.join(ROOT, "bin/llm-gateway.mjs"), ...argv], {
    cwd: ROOT,
    env: { ...process.env, GATEWAY_DATA_DIR: dataDir, ...env },
    input,
    encoding: "utf8",
  }).trim();
}

function load(config) {
  const result = spawnSync(process.execPath, [path.join(ROOT, "bench/load.mjs"), JSON.stringify(config)], { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`load client failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

if (buildIsStale()) spawnSync(process.execPath, [path.join(ROOT, "scripts/build.mjs")], { cwd: ROOT, stdio: "inherit" });

const upstream = await start(path.join(ROOT, "bench/upstream.mjs"), ["0"]);
const upstreamUrl = `http://127.0.0.1:${upstream.port}`;
const bare = await start(path.join(ROOT, "bench/bare-proxy.mjs"), ["0", upstreamUrl, KEY]);
const relay = await start(path.join(ROOT, "bench/tcp-relay.mjs"), ["0", upstreamUrl]);

/** Secrets, Llms, a user and a token, through the CLI; returns the token. */
function seed(dataDir, env = {}) {
  cli(dataDir, ["secret", "create", "bench", "--from-literal", `api_key=${KEY}`], undefined, env);
  for (const scenario of SCENARIOS) {
    const base = scenario.upstreamPath.replace(/\/(chat\/completions|messages)$/, "");
    const provider = scenario.translated ? "anthropic" : "openai";
    cli(
      dataDir,
      ["llm", "create", scenario.llm, "--provider", provider, "--model", "bench-model", "--url", `${upstreamUrl}${base}`, "--api-key-ref", "bench/api_key"],
      undefined,
      env,
    );
  }
  cli(dataDir, ["user", "create", "bench", "--password-stdin"], "bench-password\n", env);
  cli(dataDir, ["binding", "create", "--user", "bench", "--role", "run", "--resource", "llms"], undefined, env);
  return cli(dataDir, ["token", "create", "bench"], undefined, env);
}

/**
 * A second user under three limits that apply to every call it makes (requests a minute, tokens a
 * day on the non-stream Llm, calls in flight), all far above what the run uses: the cost of
 * enforcing them, against the same calls by the unlimited user.
 */
function seedLimitedUser(dataDir) {
  cli(dataDir, ["user", "create", "bench-limited", "--password-stdin"], "bench-password\n");
  cli(dataDir, ["binding", "create", "--user", "bench-limited", "--role", "run", "--resource", "llms"]);
  cli(dataDir, ["limit", "create", "--user", "bench-limited", "--metric", "requests", "--window", "minute", "--max", "1000000000"]);
  cli(dataDir, ["limit", "create", "--user", "bench-limited", "--llm", "bench-json", "--metric", "total_tokens", "--window", "day", "--max", "1000000000000"]);
  cli(dataDir, ["limit", "create", "--user", "bench-limited", "--metric", "concurrent", "--max", "100000"]);
  return cli(dataDir, ["token", "create", "bench-limited"]);
}

/** Scenarios also run through a route: two targets (the scenario's Llm and a twin of it), no failures. */
const ROUTED = new Set(["non-stream", "stream 20 chunks"]);
/**
 * Scenarios also called in Anthropic's Messages API (what Claude Code speaks): translated to Chat
 * Completions for the OpenAI Llms, passed through untouched to the Anthropic one.
 */
const MESSAGES = new Set(["non-stream", "stream 20 chunks", "Anthropic-translated stream (20 chunks)"]);

/** For each routed scenario, a twin of its Llm and a route over both, weight 1 each. */
function seedRoutes(dataDir) {
  for (const scenario of SCENARIOS.filter((entry) => ROUTED.has(entry.name))) {
    const base = scenario.upstreamPath.replace(/\/chat\/completions$/, "");
    const twin = `${scenario.llm}-twin`;
    cli(dataDir, ["llm", "create", twin, "--provider", "openai", "--model", "bench-model", "--url", `${upstreamUrl}${base}`, "--api-key-ref", "bench/api_key"]);
    cli(dataDir, ["llm", "create", `${scenario.llm}-route`, "--provider", "route", "--target", scenario.llm, "--target", twin]);
  }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-bench-"));
const token = seed(dataDir);
const limitedToken = seedLimitedUser(dataDir);
seedRoutes(dataDir);
const { child: gateway, url: gatewayUrl } = spawnGateway(ROOT, dataDir, ["ignore", "ignore", "inherit"]);
await waitForHealth(gatewayUrl);

// The same gateway on PostgreSQL, for the non-stream scenario (the hot path never reads the database).
const postgresDir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-bench-pg-"));
const postgresToken = POSTGRES_ENV ? seed(postgresDir, POSTGRES_ENV) : null;
const postgresGateway = POSTGRES_ENV ? spawnGateway(ROOT, postgresDir, ["ignore", "ignore", "inherit"], POSTGRES_ENV) : null;
if (postgresGateway) await waitForHealth(postgresGateway.url);

const targets = {
  direct: (scenario) => ({ url: `${upstreamUrl}${scenario.upstreamPath}`, headers: { authorization: `Bearer ${KEY}` }, pid: null }),
  relay: (scenario) => ({ url: `http://127.0.0.1:${relay.port}${scenario.upstreamPath}`, headers: { authorization: `Bearer ${KEY}` }, pid: relay.child.pid }),
  bare: (scenario) => ({ url: `http://127.0.0.1:${bare.port}${scenario.upstreamPath}`, headers: {}, pid: bare.child.pid }),
  gateway: (scenario) => ({
    url: `${gatewayUrl}/api/v1/llms/${scenario.llm}/chat/completions`,
    headers: { authorization: `Bearer ${token}` },
    pid: gateway.pid,
  }),
};
const routeTarget = (scenario) => ({ ...targets.gateway(scenario), url: `${gatewayUrl}/api/v1/llms/${scenario.llm}-route/chat/completions` });
const messagesTarget = (scenario) => ({
  ...targets.gateway(scenario),
  url: `${gatewayUrl}/api/v1/messages`,
  body: { model: scenario.llm, max_tokens: 64, messages: [{ role: "user", content: "Say hello." }], ...(scenario.stream ? { stream: true } : {}) },
});
const limitedTarget = (scenario) => ({ ...targets.gateway(scenario), headers: { authorization: `Bearer ${limitedToken}` } });
const postgresTarget = (scenario) => ({
  url: `${postgresGateway.url}/api/v1/llms/${scenario.llm}/chat/completions`,
  headers: { authorization: `Bearer ${postgresToken}` },
  pid: postgresGateway.child.pid,
});

let gatewayRequests = 0;
const rows = [];
for (const scenario of SCENARIOS) {
  for (const concurrency of CONCURRENCY) {
    const scenarioTargets = {
      ...targets,
      ...(ROUTED.has(scenario.name) ? { "gateway-route": routeTarget } : {}),
      ...(MESSAGES.has(scenario.name) ? { "gateway-messages": messagesTarget } : {}),
      ...(scenario.name === "non-stream" ? { "gateway-limited": limitedTarget, ...(postgresGateway ? { "gateway-postgres": postgresTarget } : {}) } : {}),
    };
    const totals = Object.fromEntries(
      Object.keys(scenarioTargets).map((name) => [name, { requests: 0, errors: 0, elapsedMs: 0, latencies: [], firstContent: [], cpu: 0 }]),
    );
    const body = { model: "bench", messages: [{ role: "user", content: "Say hello." }], stream: scenario.stream, max_tokens: 64 };
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, target] of Object.entries(scenarioTargets)) {
        const { url, headers, pid, body: ownBody } = target(scenario);
        const result = load({
          url,
          headers,
          body: ownBody ?? body,
          concurrency,
          pid,
          warmupMs: WARMUP_MS,
          durationMs: SECONDS * 1000,
          minRequests: concurrency * (scenario.paced ? 1 : 20),
        });
        const total = totals[name];
        total.cpu += result.cpuMs;
        total.requests += result.requests;
        total.errors += result.errors;
        total.elapsedMs += result.elapsedMs;
        total.latencies.push(...result.latencies);
        total.firstContent.push(...result.firstContent);
        if (name.startsWith("gateway") && name !== "gateway-postgres") gatewayRequests += result.warmupRequests + result.requests;
      }
    }
    rows.push({ scenario, concurrency, ...Object.fromEntries(Object.entries(totals).map(([name, total]) => [name, summarize(total)])) });
    const g = rows.at(-1).gateway;
    console.log(
      `${scenario.name} c=${concurrency}: gateway ${g.rps.toFixed(0)} req/s p50 ${g.p50.toFixed(2)} ms, bare ${rows.at(-1).bare.rps.toFixed(0)} req/s`,
    );
  }
}

// Streams held open: HELD_STREAMS concurrent slow streams (100 chunks, 50 ms apart).
const held = { name: "held", llm: "bench-held" };
cli(dataDir, [
  "llm",
  "create",
  held.llm,
  "--provider",
  "openai",
  "--model",
  "bench-model",
  "--url",
  `${upstreamUrl}/s/100/50/v1`,
  "--api-key-ref",
  "bench/api_key",
]);
await sleep(600);
const heldResults = {};
for (const [name, pid, url, headers] of [
  ["bare", bare.child.pid, `http://127.0.0.1:${bare.port}/s/100/50/v1/chat/completions`, {}],
  ["gateway", gateway.pid, `${gatewayUrl}/api/v1/llms/${held.llm}/chat/completions`, { authorization: `Bearer ${token}` }],
]) {
  let peak = rssMb(pid);
  let ownPeak = ownRssMb(pid);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
    ownPeak = Math.max(ownPeak, ownRssMb(pid));
  }, 100);
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, "bench/load.mjs"),
      JSON.stringify({
        url,
        headers,
        body: { model: "x", messages: [{ role: "user", content: "hi" }], stream: true },
        concurrency: HELD_STREAMS,
        durationMs: 1,
        minRequests: HELD_STREAMS,
      }),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  await new Promise((resolve) => child.on("exit", resolve));
  clearInterval(sampler);
  const result = JSON.parse(output);
  if (name === "gateway") gatewayRequests += result.requests;
  heldResults[name] = { peakRss: peak, ownPeakRss: ownPeak, requests: result.requests, errors: result.errors };
}

const gatewayPeakRss = peakRssMb(gateway.pid);
postgresGateway?.child.kill("SIGTERM");
gateway.kill("SIGTERM");
await new Promise((resolve) => gateway.on("exit", resolve));
const database = new Database(path.join(dataDir, "gateway.db"), { readonly: true });
const auditRows = database.prepare("SELECT count(*) AS count FROM audit_events WHERE event = 'llm_inference_call'").get().count;
database.close();
upstream.child.kill();
relay.child.kill();
bare.child.kill();

const { writeReport } = await import("./report.mjs");
const report = writeReport({
  rows,
  heldResults,
  held: HELD_STREAMS,
  auditRows,
  gatewayRequests,
  gatewayPeakRss,
  rounds: ROUNDS,
  seconds: SECONDS,
  warmupMs: WARMUP_MS,
  percentile,
});
const cpuPerRequestOf = (selected, target) =>
  selected.reduce((sum, row) => sum + row[target].cpuPerRequest * row[target].requests, 0) / selected.reduce((sum, row) => sum + row[target].requests, 0);

/** A section comparing the `gateway` target with `other` in the rounds that ran both: CPU per request and req/s by concurrency, and over all calls. */
function comparison(other, title, description, [baseName, otherName]) {
  const selected = rows.filter((row) => row[other]);
  if (selected.length === 0) return "";
  return [
    "",
    `## ${title}`,
    "",
    description,
    "",
    `| scenario | concurrency | CPU µs/request, ${baseName} | CPU µs/request, ${otherName} | ratio | req/s ${baseName} | req/s ${otherName} |`,
    "|---|---:|---:|---:|---:|---:|---:|",
    ...selected.map((row) => {
      const base = row.gateway;
      const measured = row[other];
      return `| ${row.scenario.name} | ${row.concurrency} | ${(base.cpuPerRequest * 1000).toFixed(0)} | ${(measured.cpuPerRequest * 1000).toFixed(0)} | ${(measured.cpuPerRequest / base.cpuPerRequest).toFixed(2)} | ${base.rps.toFixed(0)} | ${measured.rps.toFixed(0)} |`;
    }),
    "",
    `All concurrencies together (CPU over requests), ${otherName} against ${baseName}: ${(cpuPerRequestOf(selected, other) / cpuPerRequestOf(selected, "gateway")).toFixed(3)}×.`,
    "",
  ].join("\n");
}

const limitedSection = comparison(
  "gateway-limited",
  "Three limits applying",
  "Non-stream calls, the same gateway and rounds, by a user under three limits (requests a minute, tokens a day, calls in flight):",
  ["no limit", "three limits"],
);
const postgresSection = comparison(
  "gateway-postgres",
  "The gateway on PostgreSQL",
  "Non-stream calls, the same rounds, a second gateway whose database is PostgreSQL (`--postgres`):",
  ["SQLite", "PostgreSQL"],
);
const routeSection = comparison(
  "gateway-route",
  "Through a route",
  "The same calls through a route over the scenario's Llm and a twin of it (two targets, weight 1 each, no failures), against calling the Llm directly; a routed stream is held until its first content:",
  ["the Llm", "a route"],
);
const messagesSection = comparison(
  "gateway-messages",
  "In Anthropic's Messages API",
  "The same calls made to `POST /api/v1/messages` (what Claude Code speaks), against Chat Completions to the same Llm: the OpenAI Llms get them translated to Chat Completions and the answer translated back; the Anthropic Llm (last scenario) gets them passed through untouched, where Chat Completions is the translated path:",
  ["Chat Completions", "Messages"],
);
fs.writeFileSync(path.join(ROOT, "bench/results.md"), report + routeSection + messagesSection + limitedSection + postgresSection);
console.log(routeSection);
console.log(messagesSection);
console.log(limitedSection);
console.log(postgresSection);
console.log(`\n${report}`);
fs.rmSync(dataDir, { recursive: true, force: true });
fs.rmSync(postgresDir, { recursive: true, force: true });
