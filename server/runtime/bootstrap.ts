import { randomBytes } from "node:crypto";
import { count } from "drizzle-orm";
import { getDb } from "../../db/client";
import { roleBindings, users } from "../../db/schema";
import { recordInTransaction } from "../audit/record";
import { hashPassword } from "../auth/passwords";
import { CLI_PRINCIPAL } from "../auth/principal";
import { runConfigChange } from "../changes";
import { getConfig } from "../config";
import { checkMasterKey } from "../secrets/check-master-key";

/**
 * Opens and migrates the database, checks the master key, and on an empty database creates
 * `admin` with an admin binding on `*`. Returns the generated password, if one was generated.
 */
export async function bootstrap(): Promise<{ generatedPassword: string | null }> {
  const db = getDb();
  checkMasterKey();
  if (db.select({ count: count() }).from(users).get()!.count > 0) return { generatedPassword: null };
  const configured = getConfig().adminPassword;
  const password = configured ?? randomBytes(18).toString("base64url");
  const passwordHash = await hashPassword(password);
  const now = Date.now();
  const created = runConfigChange((tx) => {
    // A second process may have won the race; creating nothing then is right.
    if (tx.select({ count: count() }).from(users).get()!.count > 0) return false;
    const admin = tx
      .insert(users)
      .values({ name: "admin", displayName: "Administrator", passwordHash, disabled: false, createdAt: now, updatedAt: now })
      .returning()
      .get();
    tx.insert(roleBindings).values({ userId: admin.id, role: "admin", resource: "*", name: null, createdAt: now }).run();
    recordInTransaction(tx, { event: "user_created", principal: CLI_PRINCIPAL, userName: "@bootstrap", target: "user admin" });
    return true;
  });
  return { generatedPassword: created && !configured ? password : null };
}
