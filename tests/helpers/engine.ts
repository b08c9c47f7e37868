import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openStore } from "../../db/open";
import { parseConfig } from "../../server/config";
import type { Store } from "../../db/store";
import { REPO_ROOT } from "./paths";

/** The engine this test run uses: `GATEWAY_TEST_ENGINE=postgres` runs the suites on PostgreSQL. */
export const TEST_ENGINE: "sqlite" | "postgres" = process.env.GATEWAY_TEST_ENGINE === "postgres" ? "postgres" : "sqlite";

/** A new empty database, and where it is for a gateway process (its environment) and for this one. */
export interface TestDatabase {
  env: Record<string, string>;
  url: string | null;
  /** A store on it configured as a gateway on `dataDir` would be, with `settings` (GATEWAY_* variables) on top. */
  open(settings?: Record<string, string>): Promise<Store>;
  drop(): Promise<void>;
}

/** The test process's environment without the database a gateway of its own would use. */
export function withoutDatabase(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { GATEWAY_DATABASE_URL: _url, GATEWAY_MASTER_KEY: _key, ...rest } = env;
  return rest;
}

function openFor(dataDir: string, database: Record<string, string>, settings: Record<string, string> = {}): Promise<Store> {
  const variables = { ...withoutDatabase(process.env), GATEWAY_DATA_DIR: dataDir, GATEWAY_APP_ROOT: REPO_ROOT, ...database, ...settings };
  return openStore(parseConfig(variables));
}

function serverUrl(): string {
  const url = process.env.GATEWAY_TEST_POSTGRES_URL;
  if (!url) throw new Error("GATEWAY_TEST_POSTGRES_URL is not set: the PostgreSQL test run starts its own server (tests/helpers/postgres-cluster.ts)");
  return url;
}

/** The same server, another database. */
export function databaseUrl(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(action: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl("postgres") });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

/** `dataDir`'s own gateway.db, as a gateway on SQLite would use it. */
export function sqliteTestDatabase(dataDir: string): TestDatabase {
  const file = path.join(dataDir, "gateway.db");
  return {
    env: {},
    url: null,
    open: (settings) => openFor(dataDir, {}, settings),
    drop: async () => fs.rmSync(file, { force: true }),
  };
}

/** A fresh database for `dataDir`: a SQLite file in it, or a new PostgreSQL database copied from the migrated template. */
export async function newTestDatabase(dataDir: string, engine = TEST_ENGINE, template?: string): Promise<TestDatabase> {
  if (engine === "sqlite") return sqliteTestDatabase(dataDir);
  const name = `gw_${randomBytes(6).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template ?? process.env.GATEWAY_TEST_POSTGRES_TEMPLATE ?? "template1"}`));
  return postgresTestDatabase(dataDir, databaseUrl(name), () =>
    admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  );
}

/** The PostgreSQL database at `url` as a gateway on `dataDir` would use it (with the test master key). */
export function postgresTestDatabase(dataDir: string, url: string, drop: () => Promise<void>): TestDatabase {
  const env = { GATEWAY_DATABASE_URL: url, GATEWAY_MASTER_KEY: TEST_MASTER_KEY };
  return { env, url, open: (settings) => openFor(dataDir, env, settings), drop };
}

/** The master key every PostgreSQL test database's gateways share (replicas need the same one). */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString("base64");
