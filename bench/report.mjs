// Turns the benchmark's measurements into Markdown: the full table, then the targets.
const fixed = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : "–");

function combined(rows, pick, target) {
  const selected = rows.filter(pick);
  const requests = selected.reduce((sum, row) => sum + row[target].requests, 0);
  const cpu = selected.reduce((sum, row) => sum + row[target].cpuPerRequest * row[target].requests, 0);
  return requests ? cpu / requests : NaN;
}

export function writeReport({ rows, heldResults, held, auditRows, gatewayRequests, gatewayPeakRss, rounds, seconds, warmupMs }) {
  const lines = [
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (${rounds} interleaved round(s) of ${seconds} s per target, each after a ${warmupMs} ms warm-up left out of the figures; Node ${process.version}). The gateway's CPU and RSS are its server process and its console process together. Targets: direct (the fake provider), relay (a TCP byte relay: one more process hop, no HTTP work), bare (node:http + undici, adds the Authorization header), gateway.`,
    "",
    "| scenario | c | target | req/s | p50 ms | p99 ms | first content ms | added p50 ms | added p99 ms | CPU ms/req |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const row of rows) {
    for (const target of ["direct", "relay", "bare", "gateway"]) {
      const value = row[target];
      const added = target === "direct" ? ["", ""] : [fixed(value.p50 - row.direct.p50, 3), fixed(value.p99 - row.direct.p99, 3)];
      lines.push(
        `| ${row.scenario.name} | ${row.concurrency} | ${target} | ${fixed(value.rps, 0)} | ${fixed(value.p50, 3)} | ${fixed(value.p99, 3)} | ${fixed(value.ttfc, 3)} | ${added[0]} | ${added[1]} | ${target === "direct" ? "" : fixed(value.cpuPerRequest, 3)} |`,
      );
    }
  }
  const find = (name, concurrency) => rows.find((row) => row.scenario.name === name && row.concurrency === concurrency);
  const nonStream = (row) => row.scenario.name === "non-stream";
  const paced = (row) => row.scenario.paced;
  const translated = (row) => row.scenario.translated;
  const c1 = find("non-stream", 1);
  const c64 = find("non-stream", 64);
  const s20 = find("stream 20 chunks", 1);
  const cpuRatio = combined(rows, nonStream, "gateway") / combined(rows, nonStream, "bare");
  const pacedRatio = combined(rows, paced, "gateway") / combined(rows, paced, "bare");
  const translatedRatio = combined(rows, translated, "gateway") / combined(rows, translated, "bare");
  const added = (row, target, field) => row[target][field] - row.direct[field];
  // The latency goals are over calling the provider directly; the references show what one more
  // hop (relay) and a minimal HTTP proxy (bare) add on this machine.
  const latency = (row, field) =>
    `${fixed(added(row, "gateway", field), 3)} ms (bare ${fixed(added(row, "bare", field), 3)}, relay ${fixed(added(row, "relay", field), 3)})`;
  const checks = [
    ["gateway CPU per non-stream request", `${fixed(cpuRatio)}× bare`, "≤ 3×", cpuRatio <= 3],
    ["added p50 at c=1 (non-stream)", latency(c1, "p50"), "≤ 0.2 ms", added(c1, "gateway", "p50") <= 0.2],
    ["added p99 at c=1 (non-stream)", latency(c1, "p99"), "≤ 0.5 ms", added(c1, "gateway", "p99") <= 0.5],
    ["non-stream req/s at c=64", `${fixed((100 * c64.gateway.rps) / c64.bare.rps, 0)}% of bare`, "≥ 45%", c64.gateway.rps >= 0.45 * c64.bare.rps],
    ["added time to first chunk (stream 20, c=1)", latency(s20, "ttfc"), "≤ 0.3 ms", added(s20, "gateway", "ttfc") <= 0.3],
    ["CPU per paced chunk", `${fixed(pacedRatio)}× bare`, "≤ 1.5×", pacedRatio <= 1.5],
    ["Anthropic-translated stream CPU per request", `${fixed(translatedRatio)}× bare pass-through`, "≤ 6×", translatedRatio <= 6],
    [
      `peak RSS with ${held} live streams (server + console process)`,
      `${fixed(heldResults.gateway.peakRss, 0)} MB (server ${fixed(heldResults.gateway.ownPeakRss, 0)} MB; bare ${fixed(heldResults.bare.peakRss, 0)} MB)`,
      "≤ 300 MB",
      heldResults.gateway.peakRss <= 300,
    ],
    ["audit rows == gateway requests", `${auditRows} / ${gatewayRequests}`, "equal", auditRows === gatewayRequests],
  ];
  lines.push("", "| target | measured | goal | met |", "|---|---|---|---|");
  for (const [name, measured, goal, met] of checks) lines.push(`| ${name} | ${measured} | ${goal} | ${met ? "yes" : "**no**"} |`);
  lines.push(
    "",
    `Gateway peak RSS over the whole run (server and console processes added up): ${fixed(gatewayPeakRss, 0)} MB. Held-stream errors: gateway ${heldResults.gateway.errors}, bare ${heldResults.bare.errors}.`,
    "",
  );
  return lines.join("\n");
}
