import { describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, auditRows, useFreshDatabase, currentStore } from "../../tests/helpers/fresh-db";
import { UNAUTHENTICATED_MESSAGE } from "../errors";
import { createUser } from "../users/create";
import { updateUser } from "../users/update";
import { authenticateSession, passesCsrfCheck, SESSION_COOKIE } from "./authenticate";
import { login, logout } from "./login";
import { lookupSession, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, createSession } from "./sessions";

describe("login, sessions and rate limiting", () => {
  const { reopen } = useFreshDatabase();

  it("logs in with a fresh session id each time, audits, and logs out", async () => {
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "alice-password" } });
    const first = await login({ store: currentStore(), input: { name: "alice", password: "alice-password" }, clientIp: "10.0.0.1" });
    const second = await login({ store: currentStore(), input: { name: "alice", password: "alice-password" }, clientIp: "10.0.0.1" });
    expect(first.sessionId).not.toBe(second.sessionId);
    expect((await auditRows())[0]).toMatchObject({ event: "login", user: "alice", clientIp: "10.0.0.1" });
    const auth = await authenticateSession(currentStore(), `${SESSION_COOKIE}=${first.sessionId}`);
    expect(auth.ok && auth.principal.via).toBe("session");
    await logout({ store: currentStore(), sessionId: first.sessionId, clientIp: null });
    expect((await authenticateSession(currentStore(), `${SESSION_COOKIE}=${first.sessionId}`)).ok).toBe(false);
    expect((await auditRows())[0]).toMatchObject({ event: "logout", user: "alice" });
  });

  it("wrong password, unknown user and disabled user fail alike, audited, with the one message", async () => {
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "alice-password" } });
    await expect(login({ store: currentStore(), input: { name: "alice", password: "nope" }, clientIp: null })).rejects.toThrow(UNAUTHENTICATED_MESSAGE);
    await expect(login({ store: currentStore(), input: { name: "nobody", password: "nope" }, clientIp: null })).rejects.toThrow(UNAUTHENTICATED_MESSAGE);
    await expect(login({ store: currentStore(), input: "garbage", clientIp: null })).rejects.toThrow(UNAUTHENTICATED_MESSAGE);
    await updateUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", disabled: true } });
    await expect(login({ store: currentStore(), input: { name: "alice", password: "alice-password" }, clientIp: null })).rejects.toThrow(
      UNAUTHENTICATED_MESSAGE,
    );
    expect((await auditRows()).filter((row) => row.event === "login_failed")).toHaveLength(3);
    expect(JSON.stringify(await auditRows())).not.toContain("alice-password");
  });

  it("a disabled user's session stops working at once", async () => {
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "alice-password" } });
    const { sessionId } = await login({ store: currentStore(), input: { name: "alice", password: "alice-password" }, clientIp: null });
    await updateUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", disabled: true } });
    expect((await authenticateSession(currentStore(), `${SESSION_COOKIE}=${sessionId}`)).ok).toBe(false);
  });

  it("rate-limits failures per user and address and audits the refusal; other addresses' failures never lock the user out", async () => {
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "alice-password" } });
    const store = await reopen({ GATEWAY_LOGIN_MAX_FAILURES: "3" });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await expect(login({ store, input: { name: "alice", password: "guess" }, clientIp: "10.0.0.1" })).rejects.toMatchObject({
        code: "unauthenticated",
      });
    }
    await expect(login({ store, input: { name: "alice", password: "alice-password" }, clientIp: "10.0.0.1" })).rejects.toMatchObject({
      code: "rate_limited",
    });
    expect((await auditRows())[0]).toMatchObject({ event: "login_failed", target: "rate limited" });
    for (let attempt = 2; attempt < 5; attempt += 1) {
      await expect(login({ store, input: { name: "alice", password: "guess" }, clientIp: `10.0.0.${attempt}` })).rejects.toMatchObject({
        code: "unauthenticated",
      });
    }
    // Six failures from four addresses: alice's own address is slowed down, not refused.
    expect((await login({ store, input: { name: "alice", password: "alice-password" }, clientIp: "10.9.9.9" })).userName).toBe("alice");
  });

  it("sessions expire when idle and at their absolute limit", async () => {
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "alice-password" } });
    const start = Date.now();
    const idle = await createSession(currentStore(), 1, start);
    expect(await lookupSession(currentStore(), idle, start + SESSION_IDLE_MS - 1000)).toBe(1);
    expect(await lookupSession(currentStore(), idle, start + 2 * SESSION_IDLE_MS)).toBeNull();
    const busy = await createSession(currentStore(), 1, start);
    let now = start;
    while (now < start + SESSION_ABSOLUTE_MS - SESSION_IDLE_MS) {
      now += SESSION_IDLE_MS / 2;
      expect(await lookupSession(currentStore(), busy, now)).toBe(1);
    }
    expect(await lookupSession(currentStore(), busy, start + SESSION_ABSOLUTE_MS)).toBeNull();
  });

  it("cookie-only callers need the CSRF header; bearer callers do not", async () => {
    const session = { userId: 1, userName: "a", bindings: [], via: "session" as const, tokenId: null, tokenSha: null };
    expect(passesCsrfCheck(session, null)).toBe(false);
    expect(passesCsrfCheck(session, "1")).toBe(true);
    expect(passesCsrfCheck({ ...session, via: "token" }, null)).toBe(true);
  });
});
