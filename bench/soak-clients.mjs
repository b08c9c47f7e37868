// Soak load (a child process): `streams` clients call random Llms for `durationMs`, check every
// answer against what its Llm's fault must produce, abort some streams mid-way, and report tallies
// keyed `llm|status|error` (error: "1" the audit row must carry one, "0" it must not, "*" either).
import { Pool } from "undici";
import { expectedOutcome, pickScenario } from "./soak-plan.mjs";

const config = JSON.parse(process.argv[2]);
const url = new URL(config.gatewayUrl);
const pool = new Pool(url.origin, { connections: config.streams, pipelining: 1, keepAliveTimeout: 60_000 });
const headers = { authorization: `Bearer ${config.token}`, "content-type": "application/json" };
const deadline = Date.now() + config.durationMs;
const tallies = {};
const mismatches = { count: 0, examples: [] };
const networkErrors = { count: 0, examples: [] };
let requests = 0;
let aborts = 0;

function note(list, entry) {
  list.count += 1;
  if (list.examples.length < 20) list.examples.push(entry);
}

/** One call: the status, then the body's end (or the first token, for a stream this client aborts). */
async function once(scenario) {
  const expected = expectedOutcome(scenario);
  const controller = new AbortController();
  const body = JSON.stringify({ messages: [{ role: "user", content: "soak" }], stream: scenario.stream });
  requests += 1;
  let response;
  try {
    response = await pool.request({ path: `/api/v1/llms/${scenario.llm}/chat/completions`, method: "POST", headers, body, signal: controller.signal });
  } catch (error) {
    return note(networkErrors, `${scenario.llm} stream=${scenario.stream}: ${error.code ?? error.message}`);
  }
  const requestId = response.headers["x-request-id"];
  let text = "";
  let aborted = false;
  try {
    for await (const chunk of response.body) {
      text += chunk.toString();
      if (scenario.abort && text.includes("tok0")) {
        aborted = true;
        aborts += 1;
        controller.abort();
        break;
      }
      // Keep only the tail: the end of the stream is what gets checked.
      if (text.length > 4096) text = text.slice(-1024);
    }
  } catch (error) {
    if (!aborted) return note(networkErrors, `${scenario.llm} ${requestId}: body ${error.code ?? error.message}`);
  }
  const key = `${scenario.llm}|${expected.status}|${expected.error}`;
  tallies[key] = (tallies[key] ?? 0) + 1;
  const problem = scenario.abort
    ? response.statusCode !== 200 || !aborted
      ? `status ${response.statusCode}, aborted ${aborted}`
      : null
    : response.statusCode !== expected.status
      ? `status ${response.statusCode}`
      : expected.check(text);
  if (problem) note(mismatches, `${scenario.llm} stream=${scenario.stream} ${requestId}: ${problem} (expected ${expected.status}) …${text.slice(-160)}`);
}

async function client() {
  while (Date.now() < deadline) await once(pickScenario(Math.random));
}

const progress = setInterval(() => process.send?.({ type: "progress", requests, aborts }), 5000);
await Promise.all(Array.from({ length: config.streams }, client));
clearInterval(progress);
await pool.close();
process.send?.({ type: "done", requests, aborts, tallies, mismatches, networkErrors });
process.disconnect?.();
