// Audit comparison, memory trend and the Markdown summary of `npm run soak`.
import os from "node:os";

/**
 * Client tallies (`llm|status|error`, error "0"/"1"/"*") against audit groups (llm, status,
 * hasError). "*" groups compare on llm and status alone.
 */
export function compareAudit(tallies, auditGroups) {
  const audited = new Map();
  const add = (key, count) => audited.set(key, (audited.get(key) ?? 0) + count);
  const wildcard = new Set(
    Object.keys(tallies)
      .filter((key) => key.endsWith("|*"))
      .map((key) => key.slice(0, -2)),
  );
  for (const group of auditGroups) {
    const base = `${group.llm}|${group.status}`;
    add(wildcard.has(base) ? `${base}|*` : `${base}|${group.hasError}`, group.count);
  }
  const keys = new Set([...Object.keys(tallies), ...audited.keys()]);
  const differences = [...keys]
    .sort()
    .filter((key) => (tallies[key] ?? 0) !== (audited.get(key) ?? 0))
    .map((key) => ({ key, requests: tallies[key] ?? 0, audited: audited.get(key) ?? 0 }));
  const byStatus = {};
  for (const group of auditGroups) byStatus[group.status] = (byStatus[group.status] ?? 0) + group.count;
  return { differences, byStatus, status499: byStatus[499] ?? 0 };
}

/** Least-squares RSS slope in MB per minute over the samples taken from `fromSeconds` on. */
export function rssSlope(samples, fromSeconds) {
  const points = samples.filter((sample) => sample.seconds >= fromSeconds);
  if (points.length < 2) return 0;
  const meanX = points.reduce((sum, point) => sum + point.seconds, 0) / points.length;
  const meanY = points.reduce((sum, point) => sum + point.rss, 0) / points.length;
  const numerator = points.reduce((sum, point) => sum + (point.seconds - meanX) * (point.rss - meanY), 0);
  const denominator = points.reduce((sum, point) => sum + (point.seconds - meanX) ** 2, 0);
  return denominator === 0 ? 0 : (numerator / denominator) * 60;
}

const row = (cells) => `| ${cells.join(" | ")} |`;

export function writeSoakReport({
  command,
  startedAt,
  minutes,
  streams,
  loadSeconds,
  result,
  audit,
  samples,
  slope,
  baseline,
  afterLoad,
  checks,
  gatewayErrors,
}) {
  const failed = checks.filter((check) => !check.ok);
  // One row per minute (the first sample past each minute mark), plus the start and the end.
  const perMinute = samples.filter(
    (sample, index) => index === 0 || index === samples.length - 1 || Math.floor(sample.seconds / 60) > Math.floor(samples[index - 1].seconds / 60),
  );
  const lines = [
    `# Soak: ${minutes} min, ${streams} concurrent clients`,
    "",
    `\`${command}\` — ${startedAt.toISOString()}, ${os.cpus().length} CPUs, Node ${process.version}. Lean server (\`node dist/server.mjs\`), fake upstream and clients in their own processes.`,
    "",
    `**${failed.length === 0 ? "All checks passed" : `${failed.length} check(s) failed`}.**`,
    "",
    row(["check", "result", "detail"]),
    row(["---", "---", "---"]),
    ...checks.map((check) => row([check.name, check.ok ? "pass" : "**FAIL**", check.detail])),
    "",
    "## Load",
    "",
    `${result.requests} requests in ${loadSeconds.toFixed(0)} s (${(result.requests / loadSeconds).toFixed(0)} req/s), ${result.aborts} aborted mid-stream by their client.`,
    "Mix: 60 % healthy, 35 % faults (upstream 500/429/529, connection refused, reset mid-answer, malformed SSE or JSON, hang and stall past a 1 s per-Llm timeout), 5 % long streams aborted after the first token; 70 % streaming; OpenAI-compatible and Anthropic half and half.",
    "",
    row(["audited status", "rows"]),
    row(["---", "---:"]),
    ...Object.entries(audit.byStatus).map(([status, count]) => row([status, count])),
    "",
    "## Memory and file descriptors (gateway process)",
    "",
    row(["time", "requests so far", "RSS MB", "Δ RSS MB", "open fds", "upstream requests open"]),
    row(["---", "---:", "---:", "---:", "---:", "---:"]),
    ...perMinute.map((sample, index) =>
      row([
        `${(sample.seconds / 60).toFixed(1)} min`,
        sample.requests,
        sample.rss.toFixed(0),
        index === 0 ? "" : (sample.rss - perMinute[index - 1].rss).toFixed(0),
        sample.fds,
        sample.upstreamOpen,
      ]),
    ),
    "",
    `RSS (the server and its console process) ${baseline.rss.toFixed(0)} MB before, ${afterLoad.rss.toFixed(0)} MB after, peak ${afterLoad.peakRss.toFixed(0)} MB; trend after the first minute ${slope === null ? "not measured (run shorter than 3 min)" : `${slope.toFixed(2)} MB/min`}. File descriptors of the server ${baseline.fds} before, ${afterLoad.fds} after (the last row: load over, idle upstream connections closed).`,
  ];
  if (audit.differences.length > 0) {
    lines.push(
      "",
      "## Audit differences (llm|status|error: requests vs rows)",
      "",
      ...audit.differences.slice(0, 40).map((entry) => `- ${entry.key}: ${entry.requests} requests, ${entry.audited} rows`),
    );
  }
  if (result.mismatches.examples.length > 0)
    lines.push("", "## Unexpected answers (first 20)", "", ...result.mismatches.examples.map((entry) => `- ${entry.replace(/\n/g, "\\n")}`));
  if (result.networkErrors.examples.length > 0)
    lines.push("", "## Client connection errors (first 20)", "", ...result.networkErrors.examples.map((entry) => `- ${entry}`));
  if (failed.length > 0 && gatewayErrors.trim()) lines.push("", "## Gateway stderr (tail)", "", "```", gatewayErrors.trim(), "```");
  return `${lines.join("\n")}\n`;
}
