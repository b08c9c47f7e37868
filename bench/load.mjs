// Load client: `concurrency` workers POST the same body in a loop for `durationMs` (and at least
// `minRequests`), recording latency and time to first content chunk. Prints one JSON line.
import { Pool } from "undici";

const config = JSON.parse(process.argv[2]);
const url = new URL(config.url);
const pool = new Pool(url.origin, { connections: config.concurrency, pipelining: 1, keepAliveTimeout: 60_000 });
const body = JSON.stringify(config.body);
const headers = { "content-type": "application/json", ...config.headers };
const latencies = [];
const firstContent = [];
let errors = 0;
let requests = 0;
const started = process.hrtime.bigint();
const deadline = started + BigInt(config.durationMs) * 1_000_000n;

async function once() {
  const start = process.hrtime.bigint();
  let first = 0n;
  try {
    const response = await pool.request({ path: url.pathname, method: "POST", headers, body });
    for await (const chunk of response.body) {
      if (first === 0n && (chunk.includes('"content":"tok') || chunk.includes('"content":"Hello') || chunk.includes('"text":"'))) first = process.hrtime.bigint();
    }
    if (response.statusCode !== 200) errors += 1;
  } catch {
    errors += 1;
  }
  const end = process.hrtime.bigint();
  requests += 1;
  latencies.push(Number(end - start) / 1000);
  if (first) firstContent.push(Number(first - start) / 1000);
}

async function worker() {
  while (process.hrtime.bigint() < deadline || requests < config.minRequests) await once();
}

await Promise.all(Array.from({ length: config.concurrency }, worker));
const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
await pool.close();
process.stdout.write(JSON.stringify({ requests, errors, elapsedMs, latencies, firstContent }) + "\n");
