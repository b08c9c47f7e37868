import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { and, eq, isNotNull } from "drizzle-orm";
import { secretKeys, secrets } from "../../db/schema";
import { getConfig } from "../config";
import { runConfigChange } from "../changes";
import { recordInTransaction } from "../audit/record";
import type { Context } from "../context";
import { ValidationError } from "../errors";
import { authorize } from "../rbac/authorize";
import { decryptValue, encryptValue } from "./backends/local";
import path from "node:path";
import { decodeMasterKey, getMasterKey, masterKeyPath, PREVIOUS_MASTER_KEY_FILE } from "./master-key";

/**
 * Re-encrypts every local value under a new master key in one transaction. The old key is kept as
 * master.key.previous and the new one moved into place after the commit; rows carry their key id,
 * so a running server decrypts with whichever key a row was written under.
 */
export function rotateMasterKey({ ctx }: { ctx: Context }): { rotated: number; keyId: string } {
  authorize(ctx, "edit", "secrets");
  if (getConfig().masterKeyEnv) {
    throw new ValidationError(
      "the master key comes from GATEWAY_MASTER_KEY; rotate it by re-encrypting with a file-based key or set a new value and re-create the secrets",
    );
  }
  const current = getMasterKey();
  const next = decodeMasterKey(randomBytes(32).toString("base64"), "new master key");
  const file = masterKeyPath();
  const pending = `${file}.new`;
  fs.writeFileSync(pending, `${next.key.toString("base64")}\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(path.dirname(file), PREVIOUS_MASTER_KEY_FILE), `${current.key.toString("base64")}\n`, { mode: 0o600 });
  let rotated = 0;
  try {
    runConfigChange((tx) => {
      const rows = tx
        .select({ secretId: secretKeys.secretId, key: secretKeys.key, ciphertext: secretKeys.ciphertext, secretName: secrets.name })
        .from(secretKeys)
        .innerJoin(secrets, eq(secrets.id, secretKeys.secretId))
        .where(isNotNull(secretKeys.ciphertext))
        .all();
      for (const row of rows) {
        const value = decryptValue(row.ciphertext!, row.secretName, row.key, current);
        tx.update(secretKeys)
          .set({ ciphertext: encryptValue(value, row.secretName, row.key, next), masterKeyId: next.id })
          .where(and(eq(secretKeys.secretId, row.secretId), eq(secretKeys.key, row.key)))
          .run();
      }
      rotated = rows.length;
      recordInTransaction(tx, { event: "secret_master_key_rotated", principal: ctx.principal, target: `master key ${next.id}`, clientIp: ctx.clientIp });
    });
  } catch (error) {
    fs.rmSync(pending, { force: true });
    throw error;
  }
  fs.renameSync(pending, file);
  return { rotated, keyId: next.id };
}
