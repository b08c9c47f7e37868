import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rows } from "../../db/program";
import { openaiCompletion, sendJson, type FakeUpstream } from "../helpers/fake-upstream";
import type { RunningGateway, ServeMode } from "../helpers/gateway";
import { useDataDir, seededStore, type SeededTokens } from "../helpers/seed";
import { startSeededGateway, stopSeededGateway } from "../helpers/seeded-gateway";
import { expectOpenAIError, postTo } from "./requests";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const EVIL_ORIGIN = "https://evil.example";

async function login(gatewayUrl: string, name: string, password: string, headers: Record<string, string> = {}) {
  return fetch(`${gatewayUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ name, password }),
  });
}

function cookieValue(response: Response): string {
  return /gw_session=([^;]*)/.exec(response.headers.get("set-cookie") ?? "")?.[1] ?? "";
}

function trpcMe(gatewayUrl: string, headers: Record<string, string>) {
  return fetch(`${gatewayUrl}/api/trpc/me.get`, { headers });
}

function corsHeaders(response: Response): string[] {
  return [...response.headers.keys()].filter((name) => name.startsWith("access-control-"));
}

const startSeeded = (mode: ServeMode, env: Record<string, string> = {}) =>
  startSeededGateway(mode, (_request, response) => sendJson(response, 200, openaiCompletion("ok")), { env });

describe.each<ServeMode>(["lean", "next"])("malformed credentials and cross-origin requests served by %s", (mode) => {
  let upstream: FakeUpstream;
  let gateway: RunningGateway;
  let tokens: SeededTokens;

  beforeAll(async () => {
    ({ upstream, gateway, tokens } = await startSeeded(mode));
  });
  afterAll(() => stopSeededGateway({ gateway, upstream }));

  it("malformed Authorization headers are 401 on infer, /models and tRPC, and never credit the valid token", async () => {
    const valid = tokens.alice;
    const malformed = [
      "Bearer",
      "Bearer   ",
      `Bearer ${valid} ${valid}`,
      `Bearer ${valid} ${tokens.bob}`,
      `Bearer ${valid},${tokens.bob}`,
      `Bearer ${valid}garbage`,
      `Bearer ${valid};`,
      `Bearer "${valid}"`,
      `Bearer ${valid.slice(0, -1)}`,
      `Token ${valid}`,
      `BearerX ${valid}`,
      valid,
      `Basic ${Buffer.from("alice:alice-password").toString("base64")}`,
    ];
    for (const authorization of malformed) {
      const { row } = await expectOpenAIError(await postTo(gateway.url, "/api/v1/llms/gpt/infer", { headers: { authorization } }), 401, "authentication_error");
      expect(row.user, authorization).toBeNull();
      expect(row.tokenSha, authorization).not.toBe(sha256(valid));
      expect((await fetch(`${gateway.url}/api/v1/models`, { headers: { authorization } })).status, authorization).toBe(401);
      expect((await trpcMe(gateway.url, { authorization })).status, authorization).toBe(401);
    }
  });

  it("the scheme is case-insensitive (RFC 9110 §11.1), the token is not", async () => {
    for (const scheme of ["bearer", "BEARER", "bEaReR"]) {
      const response = await postTo(gateway.url, "/api/v1/llms/gpt/infer", { headers: { authorization: `${scheme} ${tokens.alice}` } });
      expect(response.status, scheme).toBe(200);
    }
    await expectOpenAIError(
      await postTo(gateway.url, "/api/v1/llms/gpt/infer", { headers: { authorization: `bearer ${tokens.alice.toUpperCase()}` } }),
      401,
      "authentication_error",
    );
  });

  it("a malformed Authorization header never falls back to a valid session cookie", async () => {
    const cookie = `gw_session=${cookieValue(await login(gateway.url, "alice", "alice-password"))}`;
    expect((await trpcMe(gateway.url, { cookie })).status).toBe(200);
    expect((await trpcMe(gateway.url, { cookie, authorization: "Bearer" })).status).toBe(401);
    const response = await postTo(gateway.url, "/api/v1/llms/gpt/infer", {
      headers: { cookie, "x-gateway-csrf": "1", authorization: `Bearer ${tokens.alice}x` },
    });
    await expectOpenAIError(response, 401, "authentication_error");
  });

  it("a malformed or forged session cookie is a 401, not a 500", async () => {
    for (const cookie of ["gw_session=%E0%A4%A", "gw_session=%", "gw_session=", `gw_session=${"A".repeat(43)}`, "gw_session=a; gw_session=b"]) {
      expect((await trpcMe(gateway.url, { cookie })).status, cookie).toBe(401);
      expect((await fetch(`${gateway.url}/api/v1/models`, { headers: { cookie } })).status, cookie).toBe(401);
      await expectOpenAIError(await postTo(gateway.url, "/api/v1/llms/gpt/infer", { headers: { cookie, "x-gateway-csrf": "1" } }), 401, "authentication_error");
    }
  });

  it("preflights get no CORS grant on tRPC, infer, models and login", async () => {
    for (const target of [
      "/api/trpc/llms.create",
      "/api/v1/chat/completions",
      "/api/v1/llms/gpt/chat/completions",
      "/api/v1/models",
      "/api/auth/login",
      "/api/auth/logout",
    ]) {
      const response = await fetch(`${gateway.url}${target}`, {
        method: "OPTIONS",
        headers: {
          origin: EVIL_ORIGIN,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type, x-gateway-csrf",
        },
      });
      expect(corsHeaders(response), target).toEqual([]);
    }
  });

  it("responses to cross-origin requests carry no access-control-allow-* header", async () => {
    const origin = { origin: EVIL_ORIGIN };
    const signedIn = await login(gateway.url, "alice", "alice-password", origin);
    expect(signedIn.status).toBe(204);
    expect(corsHeaders(signedIn)).toEqual([]);
    const cookie = `gw_session=${cookieValue(signedIn)}`;
    const responses = [
      await trpcMe(gateway.url, { ...origin, cookie }),
      await postTo(gateway.url, "/api/v1/llms/gpt/infer", { token: tokens.alice, headers: origin }),
      await fetch(`${gateway.url}/api/v1/models`, { headers: { ...origin, authorization: `Bearer ${tokens.alice}` } }),
      await fetch(`${gateway.url}/api/health`, { headers: origin }),
    ];
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(corsHeaders(response)).toEqual([]);
    }
  });

  it("a cross-site form cannot sign a victim in: login takes JSON only and sets no cookie otherwise", async () => {
    const form = JSON.stringify({ name: "alice", password: "alice-password" });
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const response = await fetch(`${gateway.url}/api/auth/login`, { method: "POST", headers: { "content-type": type, origin: EVIL_ORIGIN }, body: form });
      expect(response.status, type).toBe(415);
      expect(response.headers.get("set-cookie"), type).toBeNull();
    }
  });
});

describe("login brute force", () => {
  let upstream: FakeUpstream;
  let gateway: RunningGateway;

  beforeAll(async () => {
    ({ upstream, gateway } = await startSeeded("lean", { GATEWAY_LOGIN_MAX_FAILURES: "3" }));
  });
  afterAll(() => stopSeededGateway({ gateway, upstream }));

  it("is slowed to 429 after the limit, even with the right password or another forwarded address, and audited", async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await login(gateway.url, "alice", `wrong-${attempt}`)).status).toBe(401);
    const limited = await login(gateway.url, "alice", "alice-password");
    expect(limited.status).toBe(429);
    // The oldest of the three failures leaves the 15-minute window first.
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(850);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(900);
    expect(((await limited.json()) as { error: { type: string } }).error.type).toBe("rate_limit_error");
    expect(limited.headers.get("set-cookie")).toBeNull();
    expect((await login(gateway.url, "alice", "alice-password", { "x-forwarded-for": "198.51.100.7" })).status).toBe(429);
    await useDataDir(gateway.dataDir);
    const failures = () =>
      seededStore().read(({ db, t }) =>
        rows(
          db
            .select()
            .from(t.auditEvents)
            .where(and(eq(t.auditEvents.event, "login_failed"), eq(t.auditEvents.user, "alice"))),
        ),
      );
    await expect.poll(async () => (await failures()).length, { timeout: 10_000 }).toBe(5);
    expect((await failures()).filter((row) => row.target === "rate limited")).toHaveLength(2);
    expect(JSON.stringify(await failures())).not.toContain("alice-password");
    expect(
      await seededStore().read(({ db, t }) =>
        rows(
          db
            .select()
            .from(t.auditEvents)
            .where(and(eq(t.auditEvents.event, "login"), eq(t.auditEvents.user, "alice"))),
        ),
      ),
    ).toEqual([]);
  });
});

describe("session fixation", () => {
  let upstream: FakeUpstream;
  let gateway: RunningGateway;

  beforeAll(async () => {
    ({ upstream, gateway } = await startSeeded("lean"));
  });
  afterAll(() => stopSeededGateway({ gateway, upstream }));

  it("a cookie value chosen before login is never accepted, and every login issues a new id", async () => {
    const planted = "attacker-chosen-session-id-0123456789abcdef";
    expect((await trpcMe(gateway.url, { cookie: `gw_session=${planted}` })).status).toBe(401);
    const first = cookieValue(await login(gateway.url, "alice", "alice-password", { cookie: `gw_session=${planted}` }));
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first).not.toBe(planted);
    expect((await trpcMe(gateway.url, { cookie: `gw_session=${planted}` })).status).toBe(401);
    expect((await trpcMe(gateway.url, { cookie: `gw_session=${first}` })).status).toBe(200);
    const second = cookieValue(await login(gateway.url, "alice", "alice-password", { cookie: `gw_session=${first}` }));
    expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
    await useDataDir(gateway.dataDir);
    const hashes = (await seededStore().read(({ db, t }) => rows(db.select({ hash: t.sessions.idHash }).from(t.sessions)))).map((row) => row.hash);
    expect(hashes).toEqual(expect.arrayContaining([sha256(first), sha256(second)]));
    expect(hashes).not.toContain(sha256(planted));
    expect(hashes.some((hash) => hash === first || hash === second)).toBe(false);
  });
});
