import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { desc } from "drizzle-orm";
import { afterEach, beforeEach } from "vitest";
import { rows } from "../../db/program";
import type { Store } from "../../db/store";
import { auditWriter } from "../../server/audit/writer";
import type { Principal } from "../../server/auth/principal";
import type { Context } from "../../server/context";
import type { Binding } from "../../server/rbac/permissions";
import { configureProcessFor, newTestDatabase, type TestDatabase } from "./engine";
import { REPO_ROOT } from "./paths";

export { REPO_ROOT };

// The store of the test that is running: contexts made by `contextFor` act on it.
let current: Store | null = null;

export function currentStore(): Store {
  if (!current) throw new Error("no test database: call useFreshDatabase() in the describe block");
  return current;
}

/** A new empty database (a real SQLite file, or a real PostgreSQL database) for every test. */
export function useFreshDatabase(): { dataDir: () => string; store: () => Store } {
  let dir = "";
  let database: TestDatabase | null = null;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-test-"));
    database = await newTestDatabase(dir);
    configureProcessFor(dir, database);
    current = await database.open();
  });
  afterEach(async () => {
    const store = current;
    current = null;
    if (store) {
      await auditWriter(store).flush();
      await store.close();
    }
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { dataDir: () => dir, store: currentStore };
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
 * Audit rows, newest first as the console orders them (by time: a denial queued for the batched
 * writer gets its id when written, after rows committed with later changes).
 */
export async function auditRows() {
  const store = currentStore();
  await auditWriter(store).flush();
  return store.read(({ db, t }) => rows(db.select().from(t.auditEvents).orderBy(desc(t.auditEvents.ts), desc(t.auditEvents.id))));
}
