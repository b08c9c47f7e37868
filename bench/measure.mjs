import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const TICK_MS = 1000 / 100; // Linux USER_HZ

// Figures are for a process and its descendants: the gateway is its server process plus the
// console process it starts.

/** `pid` and every process below it. */
export function processTree(pid) {
  const parents = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      parents.set(Number(entry), Number(fs.readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1].split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = [pid];
  for (let index = 0; index < tree.length; index += 1) for (const [child, parent] of parents) if (parent === tree[index]) tree.push(child);
  return tree;
}

const sum = (pid, read) => processTree(pid).reduce((total, member) => total + read(member), 0);

/** CPU time (user + system) in ms, from /proc. */
export function cpuMs(pid) {
  return sum(pid, (member) => {
    const fields = fs.readFileSync(`/proc/${member}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  });
}

function statusMb(member, field) {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${member}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : 0;
}

export function rssMb(pid) {
  return sum(pid, (member) => statusMb(member, "VmRSS"));
}

/** The RSS of `pid` alone, without its descendants. */
export function ownRssMb(pid) {
  return statusMb(pid, "VmRSS");
}

/** The processes' peaks added up (an upper bound of the tree's peak). */
export function peakRssMb(pid) {
  return sum(pid, (member) => statusMb(member, "VmHWM"));
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
export function spawnGateway(root, dataDir, stdio, env = {}) {
  const port = 40000 + Math.floor(Math.random() * 10000);
  const child = spawn(process.execPath, [path.join(root, "dist/server.mjs")], {
    cwd: root,
    // One bench user drives every load (up to 500 held streams): the per-user cap is lifted.
    env: {
      ...process.env,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_APP_ROOT: root,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      GATEWAY_USER_MAX_CONCURRENCY: "100000",
      ...env,
    },
    stdio,
  });
  return { child, url: `http://127.0.0.1:${port}` };
}
