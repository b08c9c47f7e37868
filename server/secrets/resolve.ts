import { and, eq } from "drizzle-orm";
import { one } from "../../db/program";
import type { Store } from "../../db/store";
import { parseAllowedOrigins } from "./allowed-origins";
import { SECRET_BACKENDS } from "./backends/registry";
import { SecretResolveError } from "./backends/types";

export interface SecretRef {
  secret: string;
  key: string;
}

interface CachedValue {
  store: Store;
  value: string;
  allowedOrigins: string[];
  version: number;
  expiresAt: number;
}

// Values read from OpenBao can change there without telling us; re-read them after a minute.
const EXTERNAL_TTL_MS = 60_000;
const cache = new Map<string, CachedValue>();

function cacheKey(ref: SecretRef): string {
  return `${ref.secret}\u0000${ref.key}`;
}

/** A key goes only to the origins its Secret lists, whatever the Llm says. */
function checkOrigin(ref: SecretRef, allowedOrigins: string[], origin: string): void {
  if (!allowedOrigins.includes(origin)) throw new SecretResolveError(`secret '${ref.secret}' may not be sent to ${origin} (not among its allowed origins)`);
}

/** A value already in memory, or undefined (the hot path avoids a promise when it can). */
export function cachedSecretValue(store: Store, ref: SecretRef, origin: string): string | undefined {
  const entry = cache.get(cacheKey(ref));
  if (!entry || entry.store !== store || entry.version !== store.version || entry.expiresAt <= Date.now()) return undefined;
  checkOrigin(ref, entry.allowedOrigins, origin);
  return entry.value;
}

/** The one function that turns a reference into a value, for sending to `origin`. Only the proxy calls it. */
export async function resolveSecretValue(store: Store, ref: SecretRef, origin: string): Promise<string> {
  const cached = cachedSecretValue(store, ref, origin);
  if (cached !== undefined) return cached;
  const version = store.version;
  const { secret, keyRow } = await store.read(function* ({ db, t }) {
    const secret = yield* one(db.select().from(t.secrets).where(eq(t.secrets.name, ref.secret)));
    if (!secret) return { secret, keyRow: undefined };
    const keyRow = yield* one(
      db
        .select()
        .from(t.secretKeys)
        .where(and(eq(t.secretKeys.secretId, secret.id), eq(t.secretKeys.key, ref.key))),
    );
    return { secret, keyRow };
  });
  if (!secret) throw new SecretResolveError(`secret '${ref.secret}' does not exist`);
  const allowedOrigins = parseAllowedOrigins(secret.allowedOrigins);
  checkOrigin(ref, allowedOrigins, origin);
  const value = await SECRET_BACKENDS[secret.backend].resolve(store, secret, keyRow, ref.key);
  const expiresAt = secret.backend === "openbao" ? Date.now() + EXTERNAL_TTL_MS : Number.POSITIVE_INFINITY;
  cache.set(cacheKey(ref), { store, value, allowedOrigins, version, expiresAt });
  return value;
}
