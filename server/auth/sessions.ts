import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { getDb } from "../../db/client";
import { sessions } from "../../db/schema";
import { sha256Hex } from "./tokens";

export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
const TOUCH_INTERVAL_MS = 60 * 1000;

/** Creates a session and returns the cookie value (a fresh id at every login: no fixation). */
export function createSession(userId: number, now = Date.now()): string {
  const id = randomBytes(32).toString("base64url");
  getDb()
    .insert(sessions)
    .values({ idHash: sha256Hex(id), userId, createdAt: now, lastSeenAt: now, expiresAt: now + SESSION_ABSOLUTE_MS })
    .run();
  return id;
}

/** The session's user id, or null when unknown, idle too long or past its absolute expiry. */
export function lookupSession(id: string, now = Date.now()): number | null {
  const db = getDb();
  const idHash = sha256Hex(id);
  const session = db.select().from(sessions).where(eq(sessions.idHash, idHash)).get();
  if (!session) return null;
  if (now >= session.expiresAt || now - session.lastSeenAt >= SESSION_IDLE_MS) {
    db.delete(sessions).where(eq(sessions.idHash, idHash)).run();
    return null;
  }
  if (now - session.lastSeenAt >= TOUCH_INTERVAL_MS) {
    db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash)).run();
  }
  return session.userId;
}

export function deleteSession(id: string): void {
  getDb()
    .delete(sessions)
    .where(eq(sessions.idHash, sha256Hex(id)))
    .run();
}
