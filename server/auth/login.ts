import { z } from "zod";
import { eq } from "drizzle-orm";
import { one } from "../../db/program";
import type { Store } from "../../db/store";
import { recordSoon } from "../audit/record";
import { AppError, UnauthenticatedError } from "../errors";
import { getDirectory } from "./directory";
import { burnPasswordCheck, verifyPassword } from "./passwords";
import { clearLoginFailures, loginKeys, loginRetryAfterSeconds, loginSlowdownMs, noteLoginFailure } from "./rate-limit";
import { createSession, deleteSession, lookupSession } from "./sessions";

export const LoginInput = z.object({ name: z.string().max(128), password: z.string().max(1024) });
export type LoginInput = z.infer<typeof LoginInput>;

/** Checks a password and opens a new session; every failure looks the same to the caller. */
export async function login({
  store,
  input,
  clientIp,
}: {
  store: Store;
  input: unknown;
  clientIp: string | null;
}): Promise<{ sessionId: string; userName: string }> {
  const parsed = LoginInput.safeParse(input);
  if (!parsed.success) throw new UnauthenticatedError();
  const { name, password } = parsed.data;
  const keys = loginKeys(name, clientIp);
  const retryAfterSeconds = await loginRetryAfterSeconds(store, keys);
  if (retryAfterSeconds > 0) {
    recordSoon(store, { event: "login_failed", principal: null, userName: name.slice(0, 128), target: "rate limited", clientIp });
    throw new AppError("rate_limited", "Too many failed logins; try again later", { retryAfterSeconds });
  }
  const slowdownMs = await loginSlowdownMs(store, keys);
  if (slowdownMs > 0) await new Promise((resolve) => setTimeout(resolve, slowdownMs));
  const user = await store.read(({ db, t }) => one(db.select().from(t.users).where(eq(t.users.name, name))));
  // An unknown name costs the same hashing time as a known one.
  if (!user) await burnPasswordCheck(password);
  const valid = user ? await verifyPassword(password, user.passwordHash) : false;
  if (!user || !valid || user.disabled) {
    await noteLoginFailure(store, keys);
    recordSoon(store, { event: "login_failed", principal: null, userName: user ? user.name : null, target: user ? null : "unknown user", clientIp });
    throw new UnauthenticatedError();
  }
  await clearLoginFailures(store, keys);
  const sessionId = await createSession(store, user.id);
  recordSoon(store, { event: "login", principal: null, userName: user.name, clientIp });
  return { sessionId, userName: user.name };
}

export async function logout({ store, sessionId, clientIp }: { store: Store; sessionId: string | null; clientIp: string | null }): Promise<void> {
  if (!sessionId) return;
  const userId = await lookupSession(store, sessionId);
  await deleteSession(store, sessionId);
  if (userId === null) return;
  const directory = await getDirectory(store);
  recordSoon(store, { event: "logout", principal: null, userName: directory.usersById.get(userId)?.name ?? null, clientIp });
}
