import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

// vitest globalSetup: on a PostgreSQL run, one real server for the whole run in a temporary
// directory (initdb + pg_ctl from Debian's postgresql package), and a migrated template database
// that each test's database is copied from.

const TEMPLATE = "gw_template";
const PASSWORD = "gw-test-postgres-password";

function binaries(): string {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((name) => /^\d+$/.test(name) && Number(name) >= 15) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error("PostgreSQL 15 or later is not installed: apt-get install -y postgresql (the .ci/run script does)");
  return path.join(root, newest, "bin");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Runs a PostgreSQL tool as the `postgres` user when we are root (initdb refuses root). */
function asOwner(tool: string, args: string[]): void {
  const root = process.getuid?.() === 0;
  const command = root ? "runuser" : tool;
  const argv = root ? ["-u", "postgres", "--", tool, ...args] : args;
  const result = spawnSync(command, argv, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${path.basename(tool)} failed: ${result.stderr || result.stdout}`);
}

export interface PostgresCluster {
  /** The `postgres` database; others on the same server by path. */
  url: string;
  stop(): void;
  start(): void;
  remove(): void;
}

/** A new PostgreSQL server in a temporary directory, listening on 127.0.0.1 with password authentication. */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = binaries();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-postgres-"));
  fs.chmodSync(dir, 0o755);
  const dataDir = path.join(dir, "data");
  const socketDir = path.join(dir, "socket");
  fs.mkdirSync(dataDir);
  fs.mkdirSync(socketDir);
  const passwordFile = path.join(dir, "password");
  fs.writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (process.getuid?.() === 0) execFileSync("chown", ["-R", "postgres:postgres", dir]);
  asOwner(path.join(bin, "initdb"), [
    "-D",
    dataDir,
    "-U",
    "postgres",
    "--auth-local=trust",
    "--auth-host=scram-sha-256",
    `--pwfile=${passwordFile}`,
    "-E",
    "UTF8",
    "--no-sync",
  ]);
  const port = await freePort();
  // fsync off: a test cluster trades durability for speed; max_connections covers parallel files.
  const options = `-p ${port} -k ${socketDir} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400`;
  const start = () => asOwner(path.join(bin, "pg_ctl"), ["-D", dataDir, "-l", path.join(dir, "server.log"), "-o", options, "-w", "start"]);
  start();
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    start,
    stop: () => asOwner(path.join(bin, "pg_ctl"), ["-D", dataDir, "-m", "fast", "-w", "stop"]),
    remove: () => {
      try {
        asOwner(path.join(bin, "pg_ctl"), ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.GATEWAY_TEST_ENGINE !== "postgres") return undefined;
  const cluster = await startPostgresCluster();
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  await admin.end();
  const templateUrl = new URL(cluster.url);
  templateUrl.pathname = `/${TEMPLATE}`;
  const { openStore } = await import("../../db/open");
  const { parseConfig } = await import("../../server/config");
  const store = await openStore(parseConfig({ GATEWAY_DATABASE_URL: templateUrl.toString(), GATEWAY_APP_ROOT: path.resolve(import.meta.dirname, "../..") }));
  await store.close();
  process.env.GATEWAY_TEST_POSTGRES_URL = cluster.url;
  process.env.GATEWAY_TEST_POSTGRES_TEMPLATE = TEMPLATE;
  return async () => cluster.remove();
}
