import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const TICK_MS = 1000 / 100; // Linux USER_HZ

/** Process CPU time (user + system) in ms, from /proc. */
export function cpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

export function rssMb(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : 0;
}

export function peakRssMb(pid) {
  const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : 0;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitForHealth(url) {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  throw new Error(`${url} did not become healthy`);
}

export function percentile(sorted, fraction) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

/** Latencies in µs in, milliseconds out. */
export function summarize(total) {
  const latencies = Float64Array.from(total.latencies).sort();
  const first = Float64Array.from(total.firstContent).sort();
  return {
    requests: total.requests,
    errors: total.errors,
    rps: total.requests / (total.elapsedMs / 1000),
    p50: percentile(latencies, 0.5) / 1000,
    p99: percentile(latencies, 0.99) / 1000,
    ttfc: percentile(first, 0.5) / 1000,
    cpuPerRequest: total.requests ? total.cpu / total.requests : 0,
  };
}

/** The production gateway (`node dist/server.mjs`) on a random port over `dataDir`. */
export function spawnGateway(root, dataDir, stdio) {
  const port = 40000 + Math.floor(Math.random() * 10000);
  const child = spawn(process.execPath, [path.join(root, "dist/server.mjs")], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOSTNAME: "127.0.0.1", GATEWAY_DATA_DIR: dataDir, GATEWAY_APP_ROOT: root, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    stdio,
  });
  return { child, url: `http://127.0.0.1:${port}` };
}
