import { asc, eq, inArray } from "drizzle-orm";
import { getDb } from "../../db/client";
import { llms, secretKeys, secrets } from "../../db/schema";
import type { Queryable } from "../changes";
import { NotFoundError } from "../errors";
import { parseAllowedOrigins } from "./allowed-origins";
import type { SecretRow } from "./backends/types";
import type { SecretView } from "./schemas";

export function findSecret(name: string, tx: Queryable = getDb()): SecretRow {
  const secret = tx.select().from(secrets).where(eq(secrets.name, name)).get();
  if (!secret) throw new NotFoundError("secret", name);
  return secret;
}

/** Metadata views for the given rows (key names, env var names, users): never values. */
export function toSecretViews(rows: SecretRow[], tx: Queryable = getDb()): SecretView[] {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const keys = tx
    .select({ secretId: secretKeys.secretId, key: secretKeys.key, envVar: secretKeys.envVar })
    .from(secretKeys)
    .where(inArray(secretKeys.secretId, ids))
    .orderBy(asc(secretKeys.key))
    .all();
  const names = rows.map((row) => row.name);
  const users = tx.select({ name: llms.name, secret: llms.apiKeySecret }).from(llms).where(inArray(llms.apiKeySecret, names)).orderBy(asc(llms.name)).all();
  return rows.map((row) => {
    const own = keys.filter((key) => key.secretId === row.id);
    return {
      name: row.name,
      backend: row.backend,
      description: row.description,
      keys: own.map((key) => key.key),
      envVars: Object.fromEntries(own.filter((key) => key.envVar).map((key) => [key.key, key.envVar!])),
      openbaoPath: row.openbaoMount && row.openbaoPath ? `${row.openbaoMount}/${row.openbaoPath}` : null,
      allowedOrigins: parseAllowedOrigins(row.allowedOrigins),
      usedBy: users.filter((llm) => llm.secret === row.name).map((llm) => llm.name),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  });
}
