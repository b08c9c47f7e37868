import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { desc } from "drizzle-orm";
import { afterEach, beforeEach } from "vitest";
import { rows } from "../../db/program";
import type { Store } from "../../db/store";
import { flushAllAudit } from "../../server/audit/writer";
import { flushLimitMeters } from "../../server/limits/meter";
import type { Principal } from "../../server/auth/principal";
import type { Context } from "../../server/context";
import type { Binding } from "../../server/rbac/permissions";
import { newTestDatabase, type TestDatabase } from "./engine";
import { REPO_ROOT } from "./paths";

export { REPO_ROOT };

// The store of the test that is running: contexts made by `contextFor` act on it.
let current: Store | null = null;

export function currentStore(): Store {
  if (!current) throw new Error("no test database: call useFreshDatabase() in the describe block");
  return current;
}

/**
 * A new empty database (a real SQLite file, or a real PostgreSQL database) for every test, its store
 * configured as a gateway on a data directory of its own with `settings` (GATEWAY_* variables).
 * `reopen` gives another store on the same database, as another process with other settings would.
 */
export function useFreshDatabase(settings: Record<string, string> = {}): {
  dataDir: () => string;
  store: () => Store;
  reopen: (other: Record<string, string>) => Promise<Store>;
} {
  const reopened: Store[] = [];
  let dir = "";
  let database: TestDatabase | null = null;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-test-"));
    database = await newTestDatabase(dir);
    current = await database.open(settings);
  });
  afterEach(async () => {
    await flushLimitMeters();
    await flushAllAudit();
    for (const store of reopened.splice(0)) await store.close();
    await current?.close();
    current = null;
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const reopen = async (other: Record<string, string>) => {
    const store = await database!.open({ ...settings, ...other });
    reopened.push(store);
    return store;
  };
  return { dataDir: () => dir, store: currentStore, reopen };
}

export function contextFor(userName: string, bindings: Binding[], userId: number | null = null): Context {
  const principal: Principal = { userId, userName, bindings, via: "token", tokenId: null, tokenSha: null };
  return {
    principal,
    clientIp: "127.0.0.1",
    get store() {
      return currentStore();
    },
  };
}

export const ADMIN_CONTEXT = contextFor("root", [{ role: "admin", resource: "*", name: null }]);

/**
 * Audit rows (every store's pending rows written first), newest first as the console orders them (by time: a denial queued for the batched
 * writer gets its id when written, after rows committed with later changes).
 */
export async function auditRows() {
  const store = currentStore();
  await flushAllAudit();
  return store.read(({ db, t }) => rows(db.select().from(t.auditEvents).orderBy(desc(t.auditEvents.ts), desc(t.auditEvents.id))));
}
