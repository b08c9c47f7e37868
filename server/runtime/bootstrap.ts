import { randomBytes } from "node:crypto";
import { count } from "drizzle-orm";
import { one, run } from "../../db/program";
import type { Store } from "../../db/store";
import { recordInTransaction } from "../audit/record";
import { hashPassword } from "../auth/passwords";
import { CLI_PRINCIPAL } from "../auth/principal";
import { checkMasterKey } from "../secrets/check-master-key";

/**
 * Checks the master key and on an empty database creates `admin` with an admin binding on `*`.
 * Returns the generated password, if one was generated.
 */
export async function bootstrap(store: Store): Promise<{ generatedPassword: string | null }> {
  await checkMasterKey(store);
  const existing = await store.read(({ db, t }) => one(db.select({ count: count() }).from(t.users)));
  if (existing!.count > 0) return { generatedPassword: null };
  const configured = store.config.adminPassword;
  const password = configured ?? randomBytes(18).toString("base64url");
  const passwordHash = await hashPassword(password);
  const now = Date.now();
  const created = await store.change(function* (scope) {
    const { db, t } = scope;
    // A second process may have won the race; creating nothing then is right.
    if ((yield* one(db.select({ count: count() }).from(t.users)))!.count > 0) return false;
    const admin = (yield* one(
      db.insert(t.users).values({ name: "admin", displayName: "Administrator", passwordHash, disabled: false, createdAt: now, updatedAt: now }).returning(),
    ))!;
    yield* run(db.insert(t.roleBindings).values({ userId: admin.id, role: "admin", resource: "*", name: null, createdAt: now }));
    yield* recordInTransaction(scope, { event: "user_created", principal: CLI_PRINCIPAL, userName: "@bootstrap", target: "user admin" });
    return true;
  });
  return { generatedPassword: created && !configured ? password : null };
}
