import { and, eq } from "drizzle-orm";
import { run, type Program, type Scope } from "../../db/program";
import { ValidationError } from "../errors";
import { encryptValue } from "./backends/local";
import type { SecretRow } from "./backends/types";
import type { MasterKeys } from "./master-key";

export interface KeyChanges {
  values?: Record<string, string>;
  envVars?: Record<string, string>;
  removeKeys?: string[];
}

/** Applies key changes that fit the secret's backend; values are encrypted under the current master key before they touch a row. */
export function* writeSecretKeys({ db, t }: Scope, secret: SecretRow, changes: KeyChanges, keys: MasterKeys, now: number): Program<void> {
  const values = Object.entries(changes.values ?? {});
  const envVars = Object.entries(changes.envVars ?? {});
  if (values.length > 0 && secret.backend !== "local") throw new ValidationError(`a ${secret.backend} secret takes no literal values`, "values");
  if (envVars.length > 0 && secret.backend !== "env") throw new ValidationError(`only env secrets map keys to environment variables`, "envVars");
  for (const key of changes.removeKeys ?? []) {
    yield* run(db.delete(t.secretKeys).where(and(eq(t.secretKeys.secretId, secret.id), eq(t.secretKeys.key, key))));
  }
  for (const [key, value] of values) {
    const master = keys.current();
    const row = { ciphertext: encryptValue(value, secret.name, key, master), masterKeyId: master.id, envVar: null, updatedAt: now };
    yield* run(
      db
        .insert(t.secretKeys)
        .values({ secretId: secret.id, key, ...row })
        .onConflictDoUpdate({ target: [t.secretKeys.secretId, t.secretKeys.key], set: row }),
    );
  }
  for (const [key, envVar] of envVars) {
    const row = { ciphertext: null, masterKeyId: null, envVar, updatedAt: now };
    yield* run(
      db
        .insert(t.secretKeys)
        .values({ secretId: secret.id, key, ...row })
        .onConflictDoUpdate({ target: [t.secretKeys.secretId, t.secretKeys.key], set: row }),
    );
  }
}
