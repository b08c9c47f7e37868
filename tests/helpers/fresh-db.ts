import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { desc } from "drizzle-orm";
import { afterEach, beforeEach } from "vitest";
import { auditEvents } from "../../db/schema";
import { closeDb, getDb } from "../../db/client";
import { resetChangeTracking } from "../../server/changes";
import { resetConfigForTests } from "../../server/config";
import { forgetMasterKey } from "../../server/secrets/master-key";
import type { Principal } from "../../server/auth/principal";
import type { Context } from "../../server/context";
import type { Binding } from "../../server/rbac/permissions";

export const REPO_ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

/** Points the process at a new empty data directory (real SQLite file) for every test. */
export function useFreshDatabase(): { dataDir: () => string } {
  let dir = "";
  beforeEach(() => {
    closeDb();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-test-"));
    process.env.GATEWAY_DATA_DIR = dir;
    process.env.GATEWAY_APP_ROOT = REPO_ROOT;
    delete process.env.GATEWAY_MASTER_KEY;
    resetConfigForTests();
    forgetMasterKey();
    resetChangeTracking();
    getDb();
  });
  afterEach(() => {
    closeDb();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { dataDir: () => dir };
}

export function contextFor(userName: string, bindings: Binding[], userId: number | null = null): Context {
  const principal: Principal = { userId, userName, bindings, via: "token", tokenId: null, tokenSha: null };
  return { principal, clientIp: "127.0.0.1" };
}

export const ADMIN_CONTEXT = contextFor("root", [{ role: "admin", resource: "*", name: null }]);

/** Audit rows, newest first. */
export function auditRows() {
  return getDb().select().from(auditEvents).orderBy(desc(auditEvents.id)).all();
}
