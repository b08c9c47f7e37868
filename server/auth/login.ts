import { z } from "zod";
import { getDb } from "../../db/client";
import { users } from "../../db/schema";
import { eq } from "drizzle-orm";
import { recordNow } from "../audit/record";
import { AppError, UnauthenticatedError } from "../errors";
import { getDirectory } from "./directory";
import { burnPasswordCheck, verifyPassword } from "./passwords";
import { clearLoginFailures, loginKeys, loginRetryAfterSeconds, loginSlowdownMs, noteLoginFailure } from "./rate-limit";
import { createSession, deleteSession, lookupSession } from "./sessions";

export const LoginInput = z.object({ name: z.string().max(128), password: z.string().max(1024) });
export type LoginInput = z.infer<typeof LoginInput>;

/** Checks a password and opens a new session; every failure looks the same to the caller. */
export async function login({ input, clientIp }: { input: unknown; clientIp: string | null }): Promise<{ sessionId: string; userName: string }> {
  const parsed = LoginInput.safeParse(input);
  if (!parsed.success) throw new UnauthenticatedError();
  const { name, password } = parsed.data;
  const keys = loginKeys(name, clientIp);
  const retryAfterSeconds = loginRetryAfterSeconds(keys);
  if (retryAfterSeconds > 0) {
    recordNow({ event: "login_failed", principal: null, userName: name.slice(0, 128), target: "rate limited", clientIp });
    throw new AppError("rate_limited", "Too many failed logins; try again later", { retryAfterSeconds });
  }
  const slowdownMs = loginSlowdownMs(keys);
  if (slowdownMs > 0) await new Promise((resolve) => setTimeout(resolve, slowdownMs));
  const user = getDb().select().from(users).where(eq(users.name, name)).get();
  // An unknown name costs the same hashing time as a known one.
  if (!user) await burnPasswordCheck(password);
  const valid = user ? await verifyPassword(password, user.passwordHash) : false;
  if (!user || !valid || user.disabled) {
    noteLoginFailure(keys);
    recordNow({ event: "login_failed", principal: null, userName: user ? user.name : null, target: user ? null : "unknown user", clientIp });
    throw new UnauthenticatedError();
  }
  clearLoginFailures(keys);
  const sessionId = createSession(user.id);
  recordNow({ event: "login", principal: null, userName: user.name, clientIp });
  return { sessionId, userName: user.name };
}

export function logout({ sessionId, clientIp }: { sessionId: string | null; clientIp: string | null }): void {
  if (!sessionId) return;
  const userId = lookupSession(sessionId);
  deleteSession(sessionId);
  if (userId !== null) recordNow({ event: "logout", principal: null, userName: getDirectory().usersById.get(userId)?.name ?? null, clientIp });
}
