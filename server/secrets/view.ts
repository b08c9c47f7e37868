import { asc, eq, inArray } from "drizzle-orm";
import { one, rows, type Program, type Scope } from "../../db/program";
import { NotFoundError } from "../errors";
import { parseAllowedOrigins } from "./allowed-origins";
import type { SecretRow } from "./backends/types";
import type { SecretView } from "./schemas";

export function* findSecret({ db, t }: Scope, name: string): Program<SecretRow> {
  const secret = yield* one(db.select().from(t.secrets).where(eq(t.secrets.name, name)));
  if (!secret) throw new NotFoundError("secret", name);
  return secret;
}

/** Metadata views for the given rows (key names, env var names, users): never values. */
export function* toSecretViews({ db, t }: Scope, secretRows: SecretRow[]): Program<SecretView[]> {
  if (secretRows.length === 0) return [];
  const ids = secretRows.map((row) => row.id);
  const keys = yield* rows(
    db
      .select({ secretId: t.secretKeys.secretId, key: t.secretKeys.key, envVar: t.secretKeys.envVar })
      .from(t.secretKeys)
      .where(inArray(t.secretKeys.secretId, ids))
      .orderBy(asc(t.secretKeys.key)),
  );
  const names = secretRows.map((row) => row.name);
  const users = yield* rows(
    db.select({ name: t.llms.name, secret: t.llms.apiKeySecret }).from(t.llms).where(inArray(t.llms.apiKeySecret, names)).orderBy(asc(t.llms.name)),
  );
  return secretRows.map((row) => {
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
