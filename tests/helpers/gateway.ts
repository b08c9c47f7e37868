import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { newTestDatabase, sqliteTestDatabase, withoutDatabase, type TestDatabase } from "./engine";
import { REPO_ROOT } from "./paths";

export type ServeMode = "lean" | "next";

export interface RunningGateway {
  url: string;
  dataDir: string;
  process: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

const databases = new Map<string, TestDatabase>();

/** The test process's environment without the database it points at: a child gets its own. */
/** A data directory and a new empty database for a gateway (on PostgreSQL runs, a database of its own). */
export async function makeDataDir(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-server-"));
  databases.set(dir, await newTestDatabase(dir));
  return dir;
}

/** Another data directory on the same database: a second replica of the same gateway. */
export function sameDatabaseDir(dataDir: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-replica-"));
  databases.set(dir, databaseFor(dataDir));
  return dir;
}

/** Points a data directory at a database made another way (an empty one, another server). */
export function registerDatabase(dataDir: string, database: TestDatabase): void {
  databases.set(dataDir, database);
}

/**
 * The database that goes with a data directory made by `makeDataDir`; any other directory (one a
 * test made to be unusable, say) is its own gateway.db, whatever the engine of the run.
 */
export function databaseFor(dataDir: string): TestDatabase {
  const known = databases.get(dataDir);
  if (known) return known;
  const sqlite = sqliteTestDatabase(dataDir);
  databases.set(dataDir, sqlite);
  return sqlite;
}

/**
 * Starts the built gateway: `lean` = `node dist/server.mjs` (what `npm start` runs), `next` =
 * `next start` alone (the route files). Resolves when /api/health answers.
 */
export async function startGateway(options: { mode: ServeMode; dataDir: string; env?: Record<string, string> }): Promise<RunningGateway> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...withoutDatabase(process.env),
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    GATEWAY_DATA_DIR: options.dataDir,
    GATEWAY_APP_ROOT: REPO_ROOT,
    GATEWAY_ADMIN_PASSWORD: "admin-password-for-tests",
    ...databaseFor(options.dataDir).env,
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_ENV: "production",
    ...options.env,
  };
  const args =
    options.mode === "lean"
      ? [path.join(REPO_ROOT, "dist/server.mjs")]
      : [path.join(REPO_ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  for (let attempt = 0; ; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`gateway exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (attempt > 600) throw new Error(`gateway did not become healthy:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    dataDir: options.dataDir,
    process: child,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
