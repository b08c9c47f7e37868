// `npm run soak -- --minutes N --streams C` (defaults 10 and 500): C clients call OpenAI-compatible
// and Anthropic Llms on a fault-injecting fake upstream for N minutes (errors, refused connections,
// resets, malformed SSE, hangs, client aborts), then check that the gateway is healthy, audited
// every call with the right status, left no upstream request open, did not grow in memory, and
// gave its file descriptors back. Prints a Markdown summary, writes bench/soak-results.md, and
// exits 1 if a check failed.
import { execFileSync, fork, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { ROOT, buildIsStale } from "../scripts/build-info.mjs";
import { peakRssMb, rssMb, sleep, spawnGateway, waitForHealth } from "./measure.mjs";
import { FAULT_TIMEOUT_MS, soakLlms } from "./soak-plan.mjs";
import { compareAudit, rssSlope, writeSoakReport } from "./soak-report.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const MINUTES = option("minutes", 10);
const STREAMS = option("streams", 500);
const SAMPLE_MS = 10_000;
const FD_SLACK = 2;
// Growth a leak would show; heap tuning and caches settle well below it after the first minute.
const MAX_RSS_GROWTH_MB_PER_MINUTE = 10;
if (!(MINUTES > 0) || !(STREAMS >= 1)) {
  console.error("usage: npm run soak -- [--minutes N] [--streams C]");
  process.exit(2);
}

const fdCount = (pid) => fs.readdirSync(`/proc/${pid}/fd`).length;
const startedAt = new Date();

function cli(dataDir, argv, input) {
  return execFileSync(process.execPath, [path.join(ROOT, "bin/llm-gateway.mjs"), ...argv], {
    cwd: ROOT,
    env: { ...process.env, GATEWAY_DATA_DIR: dataDir },
    input,
    encoding: "utf8",
  }).trim();
}

function closedPort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The soak upstream child and a way to ask it for its open-request count. */
async function startUpstream() {
  const child = fork(path.join(ROOT, "bench/soak-upstream.mjs"), ["0"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const port = await new Promise((resolve) => child.once("message", (message) => resolve(message.port)));
  const ask = (type) =>
    new Promise((resolve) => {
      child.once("message", resolve);
      child.send({ type });
    });
  return { child, url: `http://127.0.0.1:${port}`, stats: () => ask("stats"), closeIdle: () => ask("close-idle") };
}

async function pollUntil(read, done, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(250);
    value = await read();
  }
  return value;
}

if (buildIsStale()) spawnSync(process.execPath, [path.join(ROOT, "scripts/build.mjs")], { cwd: ROOT, stdio: "inherit" });

const upstream = await startUpstream();
const refusedUrl = `http://127.0.0.1:${await closedPort()}/v1`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-soak-"));
console.log(`seeding ${soakLlms().length} llms through the CLI in ${dataDir}`);
cli(dataDir, ["secret", "create", "soak-openai", "--from-literal", "api_key=sk-soak-openai-key"]);
cli(dataDir, ["secret", "create", "soak-anthropic", "--from-literal", "api_key=sk-ant-soak-anthropic-key"]);
for (const llm of soakLlms()) {
  const url = llm.behaviour === "refused" ? refusedUrl : `${upstream.url}/${llm.behaviour}/v1`;
  const flags = ["--provider", llm.provider, "--model", `soak-${llm.behaviour}`, "--url", url, "--api-key-ref", `soak-${llm.provider}/api_key`];
  if (llm.provider === "anthropic") flags.push("--max-tokens", "64");
  if (llm.behaviour === "hang" || llm.behaviour === "stall") flags.push("--timeout-ms", String(FAULT_TIMEOUT_MS));
  cli(dataDir, ["llm", "create", llm.name, ...flags]);
}
cli(dataDir, ["user", "create", "soak", "--password-stdin"], "soak-password\n");
cli(dataDir, ["binding", "create", "--user", "soak", "--role", "run", "--resource", "llms"]);
const token = cli(dataDir, ["token", "create", "soak"]);

const { child: gateway, url: gatewayUrl } = spawnGateway(ROOT, dataDir, ["ignore", "ignore", "pipe"]);
let gatewayErrors = "";
gateway.stderr.on("data", (chunk) => (gatewayErrors = (gatewayErrors + chunk).slice(-4000)));
const gatewayExit = new Promise((resolve) => gateway.on("exit", (code, signal) => resolve({ code, signal })));
await waitForHealth(gatewayUrl);
const baseline = { rss: rssMb(gateway.pid), fds: fdCount(gateway.pid) };
console.log(`gateway up (pid ${gateway.pid}, ${baseline.rss.toFixed(0)} MB, ${baseline.fds} fds); ${STREAMS} clients for ${MINUTES} min`);

const samples = [{ seconds: 0, rss: baseline.rss, fds: baseline.fds, requests: 0, upstreamOpen: 0 }];
const loadStarted = Date.now();
const clients = fork(path.join(ROOT, "bench/soak-clients.mjs"), [JSON.stringify({ gatewayUrl, token, streams: STREAMS, durationMs: MINUTES * 60_000 })], {
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
let progress = { requests: 0, aborts: 0 };
const result = await new Promise((resolve, reject) => {
  clients.on("message", (message) => (message.type === "done" ? resolve(message) : (progress = message)));
  clients.on("exit", (code) => code !== 0 && reject(new Error(`load clients exited with ${code}`)));
  const sampler = setInterval(async () => {
    if (gateway.exitCode !== null) return;
    const seconds = Math.round((Date.now() - loadStarted) / 1000);
    const sample = { seconds, rss: rssMb(gateway.pid), fds: fdCount(gateway.pid), requests: progress.requests, upstreamOpen: (await upstream.stats()).open };
    samples.push(sample);
    if (seconds % 60 < SAMPLE_MS / 1000)
      console.log(
        `${(seconds / 60).toFixed(1)} min: ${sample.requests} requests, RSS ${sample.rss.toFixed(0)} MB, ${sample.fds} fds, ${sample.upstreamOpen} upstream requests open`,
      );
  }, SAMPLE_MS);
  clients.on("exit", () => clearInterval(sampler));
});
const loadSeconds = (Date.now() - loadStarted) / 1000;

const afterLoad = { upstream: await pollUntil(upstream.stats, (stats) => stats.open === 0, 15_000) };
await upstream.closeIdle();
afterLoad.fds = await pollUntil(
  () => fdCount(gateway.pid),
  (count) => count <= baseline.fds + FD_SLACK,
  60_000,
);
afterLoad.rss = rssMb(gateway.pid);
afterLoad.peakRss = peakRssMb(gateway.pid);
afterLoad.health = await fetch(`${gatewayUrl}/api/health`).then(
  (response) => response.status,
  () => 0,
);
samples.push({ seconds: Math.round(loadSeconds), rss: afterLoad.rss, fds: afterLoad.fds, requests: result.requests, upstreamOpen: afterLoad.upstream.open });

const expectedRows = Object.values(result.tallies).reduce((sum, count) => sum + count, 0);
const database = new Database(path.join(dataDir, "gateway.db"), { readonly: true });
const countRows = () => database.prepare("SELECT count(*) AS count FROM audit_events WHERE event = 'llm_inference_call'").get().count;
const auditTotal = await pollUntil(countRows, (count) => count >= expectedRows, 30_000);
const auditGroups = database
  .prepare(
    "SELECT llm, status, error IS NOT NULL AS hasError, count(*) AS count FROM audit_events WHERE event = 'llm_inference_call' GROUP BY llm, status, hasError",
  )
  .all();
database.close();
const audit = compareAudit(result.tallies, auditGroups);

gateway.kill("SIGTERM");
const exit = await gatewayExit;
upstream.child.kill();
// The first minute is warm-up (heap sizing, JIT, pools filling); a trend needs a few minutes after it.
const slope = MINUTES >= 3 ? rssSlope(samples, 60) : null;
const checks = [
  { name: "server healthy after the soak", ok: afterLoad.health === 200, detail: `GET /api/health → ${afterLoad.health}` },
  { name: "every answer was what its fault must produce", ok: result.mismatches.count === 0, detail: `${result.mismatches.count} mismatches` },
  { name: "no client connection failed", ok: result.networkErrors.count === 0, detail: `${result.networkErrors.count} network errors` },
  { name: "one audit row per request", ok: auditTotal === expectedRows, detail: `${auditTotal} rows for ${expectedRows} answered requests` },
  {
    name: "audit statuses match the requests (by llm, status, error)",
    ok: audit.differences.length === 0,
    detail: `${audit.differences.length} differing groups`,
  },
  { name: "client aborts audited as 499", ok: audit.status499 === result.aborts, detail: `${audit.status499} rows with 499 for ${result.aborts} aborts` },
  { name: "no upstream request left open", ok: afterLoad.upstream.open === 0, detail: `${afterLoad.upstream.open} open of ${afterLoad.upstream.total}` },
  {
    name: `RSS growth under ${MAX_RSS_GROWTH_MB_PER_MINUTE} MB/min after the first minute`,
    ok: slope === null || slope < MAX_RSS_GROWTH_MB_PER_MINUTE,
    detail:
      slope === null
        ? "not judged: a trend needs --minutes 3 or more"
        : `${slope.toFixed(2)} MB/min (least squares over ${samples.filter((sample) => sample.seconds >= 60).length} samples)`,
  },
  { name: "file descriptors back to baseline", ok: afterLoad.fds <= baseline.fds + FD_SLACK, detail: `${baseline.fds} before, ${afterLoad.fds} after` },
  { name: "clean shutdown (SIGTERM → exit 0)", ok: exit.code === 0, detail: `exit ${exit.code ?? exit.signal}` },
];
const report = writeSoakReport({
  command: `npm run soak -- --minutes ${MINUTES} --streams ${STREAMS}`,
  startedAt,
  minutes: MINUTES,
  streams: STREAMS,
  loadSeconds,
  result,
  audit,
  samples,
  slope,
  baseline,
  afterLoad,
  checks,
  gatewayErrors,
});
fs.writeFileSync(path.join(ROOT, "bench/soak-results.md"), report);
console.log(`\n${report}`);
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(checks.every((check) => check.ok) ? 0 : 1);
