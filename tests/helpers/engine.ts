import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openStore } from "../../db/open";
import { resetConfigForTests } from "../../server/config";
import { forgetMasterKey } from "../../server/secrets/master-key";
import type { Store } from "../../db/store";
import { REPO_ROOT } from "./paths";

/** The engine this test run uses: `GATEWAY_TEST_ENGINE=postgres` runs the suites on PostgreSQL. */
export const TEST_ENGINE: "sqlite" | "postgres" = process.env.GATEWAY_TEST_ENGINE === "postgres" ? "postgres" : "sqlite";

/** A new empty database, and where it is for a gateway process (its environment) and for this one. */
export interface TestDatabase {
  env: Record<string, string>;
  url: string | null;
  open(): Promise<Store>;
  drop(): Promise<void>;
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
    open: () => openStore({ databaseUrl: null, sqliteFile: file, appRoot: REPO_ROOT }),
    drop: async () => fs.rmSync(file, { force: true }),
  };
}

/** Points this test process's configuration at `dataDir` and its database, as a gateway's would be. */
export function configureProcessFor(dataDir: string, database: TestDatabase): void {
  process.env.GATEWAY_DATA_DIR = dataDir;
  process.env.GATEWAY_APP_ROOT = REPO_ROOT;
  for (const name of ["GATEWAY_MASTER_KEY", "GATEWAY_DATABASE_URL"]) delete process.env[name];
  Object.assign(process.env, database.env);
  resetConfigForTests();
  forgetMasterKey();
}

/** A fresh database for `dataDir`: a SQLite file in it, or a new PostgreSQL database copied from the migrated template. */
export async function newTestDatabase(dataDir: string, engine = TEST_ENGINE, template?: string): Promise<TestDatabase> {
  if (engine === "sqlite") return sqliteTestDatabase(dataDir);
  const name = `gw_${randomBytes(6).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template ?? process.env.GATEWAY_TEST_POSTGRES_TEMPLATE ?? "template1"}`));
  const url = databaseUrl(name);
  return {
    env: { GATEWAY_DATABASE_URL: url, GATEWAY_MASTER_KEY: TEST_MASTER_KEY },
    url,
    open: () => openStore({ databaseUrl: url, sqliteFile: "", appRoot: REPO_ROOT }),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** The master key every PostgreSQL test database's gateways share (replicas need the same one). */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString("base64");
