import { and, eq } from "drizzle-orm";
import { getDb } from "../../db/client";
import { secretKeys, secrets } from "../../db/schema";
import { configVersion } from "../changes";
import { SECRET_BACKENDS } from "./backends/registry";
import { SecretResolveError } from "./backends/types";

export interface SecretRef {
  secret: string;
  key: string;
}

interface CachedValue {
  value: string;
  version: number;
  expiresAt: number;
}

// Values read from OpenBao can change there without telling us; re-read them after a minute.
const EXTERNAL_TTL_MS = 60_000;
const cache = new Map<string, CachedValue>();

function cacheKey(ref: SecretRef): string {
  return `${ref.secret}\u0000${ref.key}`;
}

/** A value already in memory, or undefined (the hot path avoids a promise when it can). */
export function cachedSecretValue(ref: SecretRef): string | undefined {
  const entry = cache.get(cacheKey(ref));
  if (!entry || entry.version !== configVersion() || entry.expiresAt <= Date.now()) return undefined;
  return entry.value;
}

/** The one function that turns a reference into a value. Only the proxy calls it. */
export async function resolveSecretValue(ref: SecretRef): Promise<string> {
  const cached = cachedSecretValue(ref);
  if (cached !== undefined) return cached;
  const version = configVersion();
  const db = getDb();
  const secret = db.select().from(secrets).where(eq(secrets.name, ref.secret)).get();
  if (!secret) throw new SecretResolveError(`secret '${ref.secret}' does not exist`);
  const keyRow = db
    .select()
    .from(secretKeys)
    .where(and(eq(secretKeys.secretId, secret.id), eq(secretKeys.key, ref.key)))
    .get();
  const value = await SECRET_BACKENDS[secret.backend].resolve(secret, keyRow, ref.key);
  const expiresAt = secret.backend === "openbao" ? Date.now() + EXTERNAL_TTL_MS : Number.POSITIVE_INFINITY;
  cache.set(cacheKey(ref), { value, version, expiresAt });
  return value;
}
