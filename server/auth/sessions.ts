import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { one, run } from "../../db/program";
import type { Store } from "../../db/store";
import { sha256Hex } from "./tokens";

export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
const TOUCH_INTERVAL_MS = 60 * 1000;

/** Creates a session and returns the cookie value (a fresh id at every login: no fixation). */
export async function createSession(store: Store, userId: number, now = Date.now()): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  await store.read(({ db, t }) =>
    run(db.insert(t.sessions).values({ idHash: sha256Hex(id), userId, createdAt: now, lastSeenAt: now, expiresAt: now + SESSION_ABSOLUTE_MS })),
  );
  return id;
}

/** The session's user id, or null when unknown, idle too long or past its absolute expiry. */
export function lookupSession(store: Store, id: string, now = Date.now()): Promise<number | null> {
  const idHash = sha256Hex(id);
  return store.read(function* ({ db, t }) {
    const session = yield* one(db.select().from(t.sessions).where(eq(t.sessions.idHash, idHash)));
    if (!session) return null;
    if (now >= session.expiresAt || now - session.lastSeenAt >= SESSION_IDLE_MS) {
      yield* run(db.delete(t.sessions).where(eq(t.sessions.idHash, idHash)));
      return null;
    }
    if (now - session.lastSeenAt >= TOUCH_INTERVAL_MS) {
      yield* run(db.update(t.sessions).set({ lastSeenAt: now }).where(eq(t.sessions.idHash, idHash)));
    }
    return session.userId;
  });
}

export async function deleteSession(store: Store, id: string): Promise<void> {
  await store.read(({ db, t }) => run(db.delete(t.sessions).where(eq(t.sessions.idHash, sha256Hex(id)))));
}
