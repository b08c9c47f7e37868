import { and, gte, inArray, lt } from "drizzle-orm";
import { rows, run } from "../../db/program";
import type { Store } from "../../db/store";

const WINDOW_MS = 15 * 60 * 1000;
const SLOWDOWN_STEP_MS = 500;
const MAX_SLOWDOWN_MS = 5_000;

// Failed logins live in the database, one row per failure and key, so every replica counts the
// same failures. Per (user, address) and per address they lock out; per user across addresses
// they only slow down, so failures from addresses an attacker rotates through never lock the
// real user out. Rows older than the window are deleted as new failures arrive.

export interface LoginKeys {
  /** Keys whose failures lock out (429). */
  locking: string[];
  /** The user's failures from every address: they slow logins down. */
  user: string;
}

export function loginKeys(userName: string, clientIp: string | null): LoginKeys {
  const address = clientIp ?? "unknown";
  return { locking: [`user-ip:${JSON.stringify([userName, address])}`, `ip:${address}`], user: `user:${userName}` };
}

/** Failure times per key within the window, oldest first. */
async function recent(store: Store, keys: string[], now: number): Promise<Map<string, number[]>> {
  const found = await store.read(({ db, t }) =>
    rows(
      db
        .select({ key: t.loginFailures.key, failedAt: t.loginFailures.failedAt })
        .from(t.loginFailures)
        .where(and(inArray(t.loginFailures.key, keys), gte(t.loginFailures.failedAt, now - WINDOW_MS + 1)))
        .orderBy(t.loginFailures.failedAt),
    ),
  );
  const byKey = new Map<string, number[]>(keys.map((key) => [key, []]));
  for (const row of found) byKey.get(row.key)!.push(row.failedAt);
  return byKey;
}

/** Seconds until a login under `keys` may be tried again; 0 when it may be tried now. */
export async function loginRetryAfterSeconds(store: Store, keys: LoginKeys, now = Date.now()): Promise<number> {
  const limit = store.config.loginMaxFailures;
  let wait = 0;
  for (const failed of (await recent(store, keys.locking, now)).values()) {
    // Allowed again once enough failures have left the window for fewer than `limit` to remain.
    if (failed.length >= limit) wait = Math.max(wait, failed[failed.length - limit]! + WINDOW_MS - now);
  }
  return Math.ceil(wait / 1000);
}

/** How long to hold this attempt before checking the password: grows with the user's failures past the limit. */
export async function loginSlowdownMs(store: Store, keys: LoginKeys, now = Date.now()): Promise<number> {
  const over = (await recent(store, [keys.user], now)).get(keys.user)!.length - store.config.loginMaxFailures;
  return over < 0 ? 0 : Math.min(MAX_SLOWDOWN_MS, (over + 1) * SLOWDOWN_STEP_MS);
}

export async function noteLoginFailure(store: Store, keys: LoginKeys, now = Date.now()): Promise<void> {
  await store.write(function* ({ db, t }) {
    yield* run(db.delete(t.loginFailures).where(lt(t.loginFailures.failedAt, now - WINDOW_MS)));
    yield* run(db.insert(t.loginFailures).values([...keys.locking, keys.user].map((key) => ({ key, failedAt: now }))));
  });
}

/** A successful login clears what its own user and address had counted. */
export async function clearLoginFailures(store: Store, keys: LoginKeys): Promise<void> {
  await store.write(({ db, t }) => run(db.delete(t.loginFailures).where(inArray(t.loginFailures.key, [keys.locking[0]!, keys.user]))));
}
