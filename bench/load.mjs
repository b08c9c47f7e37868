// Load client: `concurrency` workers POST the same body in a loop. A warm-up phase of
// `warmupMs` (this client's JIT, fresh connections) is run and left out of every figure; then
// the workers run for `durationMs` (and at least `minRequests`), recording latency and time to
// first content chunk. With `pid`, also reports that process tree's CPU time over the measured
// phase alone. Prints one JSON line.
import { Pool } from "undici";
import { cpuMs } from "./measure.mjs";

const config = JSON.parse(process.argv[2]);
const url = new URL(config.url);
const pool = new Pool(url.origin, { connections: config.concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
const body = JSON.stringify(config.body);
const headers = { "content-type": "application/json", ...config.headers };
const latencies = [];
const firstContent = [];
let recording = false;
let warmupRequests = 0;
let errors = 0;
let requests = 0;

async function once() {
  const start = process.hrtime.bigint();
  let first = 0n;
  let failed = false;
  try {
    const response = await pool.request({ path: url.pathname, method: "POST", headers, body });
    for await (const chunk of response.body) {
      if (first === 0n && (chunk.includes('"content":"tok') || chunk.includes('"content":"Hello') || chunk.includes('"text":"')))
        first = process.hrtime.bigint();
    }
    failed = response.statusCode !== 200;
  } catch {
    failed = true;
  }
  if (!recording) {
    warmupRequests += 1;
    return;
  }
  const end = process.hrtime.bigint();
  requests += 1;
  if (failed) errors += 1;
  latencies.push(Number(end - start) / 1000);
  if (first) firstContent.push(Number(first - start) / 1000);
}

/** Every worker finishes its request in flight before the phase ends: none straddles the two. */
async function phase(durationMs, minRequests) {
  const deadline = process.hrtime.bigint() + BigInt(durationMs) * 1_000_000n;
  const worker = async () => {
    while (process.hrtime.bigint() < deadline || requests < minRequests) await once();
  };
  await Promise.all(Array.from({ length: config.concurrency }, worker));
}

if (config.warmupMs) await phase(config.warmupMs, 0);
recording = true;
const cpuBefore = config.pid ? cpuMs(config.pid) : 0;
const started = process.hrtime.bigint();
await phase(config.durationMs, config.minRequests);
const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
const cpu = config.pid ? cpuMs(config.pid) - cpuBefore : 0;
await pool.close();
process.stdout.write(`${JSON.stringify({ requests, warmupRequests, errors, elapsedMs, cpuMs: cpu, latencies, firstContent })}\n`);
