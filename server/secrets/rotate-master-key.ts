import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { and, eq, isNotNull } from "drizzle-orm";
import { rows, run } from "../../db/program";
import { recordInTransaction } from "../audit/record";
import type { Context } from "../context";
import { ValidationError } from "../errors";
import { authorize } from "../rbac/authorize";
import { decryptValue, encryptValue } from "./backends/local";
import { MASTER_KEY_SETTING } from "./check-master-key";
import path from "node:path";
import { decodeMasterKey, PREVIOUS_MASTER_KEY_FILE } from "./master-key";

/**
 * Re-encrypts every local value under a new master key in one transaction. The old key is kept as
 * master.key.previous and the new one moved into place after the commit; rows carry their key id,
 * so a running server decrypts with whichever key a row was written under.
 */
export async function rotateMasterKey({ ctx }: { ctx: Context }): Promise<{ rotated: number; keyId: string }> {
  authorize(ctx, "edit", "secrets");
  if (ctx.store.config.masterKeyEnv) {
    throw new ValidationError(
      "the master key comes from GATEWAY_MASTER_KEY; rotate it by re-encrypting with a file-based key or set a new value and re-create the secrets",
    );
  }
  const current = ctx.store.keys.current();
  const next = decodeMasterKey(randomBytes(32).toString("base64"), "new master key");
  const file = ctx.store.keys.file;
  const pending = `${file}.new`;
  fs.writeFileSync(pending, `${next.key.toString("base64")}\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(path.dirname(file), PREVIOUS_MASTER_KEY_FILE), `${current.key.toString("base64")}\n`, { mode: 0o600 });
  let rotated = 0;
  try {
    await ctx.store.change(function* (scope) {
      const { db, t } = scope;
      const stored = yield* rows(
        db
          .select({ secretId: t.secretKeys.secretId, key: t.secretKeys.key, ciphertext: t.secretKeys.ciphertext, secretName: t.secrets.name })
          .from(t.secretKeys)
          .innerJoin(t.secrets, eq(t.secrets.id, t.secretKeys.secretId))
          .where(isNotNull(t.secretKeys.ciphertext)),
      );
      for (const row of stored) {
        const value = decryptValue(row.ciphertext!, row.secretName, row.key, current);
        yield* run(
          db
            .update(t.secretKeys)
            .set({ ciphertext: encryptValue(value, row.secretName, row.key, next), masterKeyId: next.id })
            .where(and(eq(t.secretKeys.secretId, row.secretId), eq(t.secretKeys.key, row.key))),
        );
      }
      rotated = stored.length;
      yield* run(
        db
          .insert(t.gatewaySettings)
          .values({ name: MASTER_KEY_SETTING, value: next.id })
          .onConflictDoUpdate({ target: t.gatewaySettings.name, set: { value: next.id } }),
      );
      yield* recordInTransaction(scope, {
        event: "secret_master_key_rotated",
        principal: ctx.principal,
        target: `master key ${next.id}`,
        clientIp: ctx.clientIp,
      });
    });
  } catch (error) {
    fs.rmSync(pending, { force: true });
    throw error;
  }
  fs.renameSync(pending, file);
  return { rotated, keyId: next.id };
}
