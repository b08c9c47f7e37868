import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../helpers/build";
import { makeDataDir, startGateway, type RunningGateway } from "../helpers/gateway";

const ADMIN_PASSWORD = "admin-password-for-tests";

describe("tRPC over HTTP with sessions and tokens", () => {
  let gateway: RunningGateway;
  let adminCookie = "";

  beforeAll(async () => {
    await ensureBuilt();
    gateway = await startGateway({ mode: "lean", dataDir: await makeDataDir() });
    adminCookie = await login("admin", ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  async function login(name: string, password: string): Promise<string> {
    const response = await fetch(`${gateway.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name, password }),
    });
    expect(response.status).toBe(204);
    return response.headers.get("set-cookie")!.split(";")[0]!;
  }

  async function call(procedure: string, input: unknown, headers: Record<string, string>, kind: "query" | "mutation" = "mutation") {
    const url = `${gateway.url}/api/trpc/${procedure}`;
    const response =
      kind === "query"
        ? await fetch(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
        : await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(input) });
    return {
      status: response.status,
      body: (await response.json()) as { result?: { data: unknown }; error?: { message: string; data: { code: string; field: string | null } } },
    };
  }

  it("a cookie-authenticated mutation needs the CSRF-proof header", async () => {
    const refused = await call("secrets.create", { name: "s1", values: { k: "v-123456" } }, { cookie: adminCookie });
    expect(refused.status).toBe(403);
    expect(refused.body.error!.message).toMatch(/X-Gateway-CSRF/);
    const allowed = await call("secrets.create", { name: "s1", values: { k: "v-123456" } }, { cookie: adminCookie, "x-gateway-csrf": "1" });
    expect(allowed.status).toBe(200);
    expect(JSON.stringify(allowed.body)).not.toContain("v-123456");
  });

  it("unauthenticated calls get 401; validation errors name the field; conflicts are 409", async () => {
    expect((await call("llms.list", undefined, {}, "query")).status).toBe(401);
    const headers = { cookie: adminCookie, "x-gateway-csrf": "1" };
    const invalid = await call("llms.create", { name: "Bad Name", provider: "openai", model: "m" }, headers);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error!.data.field).toBe("name");
    const missingUrl = await call("llms.create", { name: "v", provider: "vllm", model: "m" }, headers);
    expect(missingUrl.body.error!.data.field).toBe("url");
    expect((await call("llms.create", { name: "gpt", provider: "openai", model: "m" }, headers)).status).toBe(200);
    const duplicate = await call("llms.create", { name: "gpt", provider: "openai", model: "m" }, headers);
    expect(duplicate.status).toBe(409);
  });

  it("a bearer token works without the CSRF header and sees only what its user may view", async () => {
    const headers = { cookie: adminCookie, "x-gateway-csrf": "1" };
    await call("users.create", { name: "viewer", password: "viewer-password" }, headers);
    await call("bindings.create", { user: "viewer", role: "view", resource: "llms", name: "gpt" }, headers);
    await call("llms.create", { name: "hidden", provider: "openai", model: "m" }, headers);
    const viewerCookie = await login("viewer", "viewer-password");
    const created = await call("tokens.create", { user: "viewer", name: "ci" }, { cookie: viewerCookie, "x-gateway-csrf": "1" });
    const token = (created.body.result!.data as { token: string }).token;
    const bearer = { authorization: `Bearer ${token}` };
    const list = await call("llms.list", undefined, bearer, "query");
    expect((list.body.result!.data as Array<{ name: string }>).map((llm) => llm.name)).toEqual(["gpt"]);
    const forbidden = await call("llms.remove", { name: "gpt" }, bearer);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error!.message).toBe("missing permission delete:llms:gpt");
    const escalate = await call("bindings.create", { user: "viewer", role: "admin", resource: "*" }, bearer);
    expect(escalate.status).toBe(403);
    const me = await call("me.get", undefined, bearer, "query");
    expect(me.body.result!.data).toMatchObject({ name: "viewer", capabilities: { llms: ["view"], secrets: [] } });
  });

  it("logout ends the session, and only with the CSRF-proof header", async () => {
    const cookie = await login("admin", ADMIN_PASSWORD);
    expect((await call("me.get", undefined, { cookie }, "query")).status).toBe(200);
    const forged = await fetch(`${gateway.url}/api/auth/logout`, { method: "POST", headers: { cookie } });
    expect(forged.status).toBe(403);
    expect(forged.headers.get("set-cookie")).toBeNull();
    expect((await call("me.get", undefined, { cookie }, "query")).status).toBe(200);
    expect((await fetch(`${gateway.url}/api/auth/logout`, { method: "POST", headers: { cookie, "x-gateway-csrf": "1" } })).status).toBe(204);
    expect((await call("me.get", undefined, { cookie }, "query")).status).toBe(401);
  });

  it("records the socket address, not a client-supplied X-Forwarded-For", async () => {
    const { useDataDir, auditFor, seededStore } = await import("../helpers/seed");
    const { one } = await import("../../db/program");
    const { desc, eq } = await import("drizzle-orm");
    const spoofed = { "x-forwarded-for": "203.0.113.9" };
    const response = await fetch(`${gateway.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", ...spoofed },
      body: JSON.stringify({ name: "admin", password: ADMIN_PASSWORD }),
    });
    expect(response.status).toBe(204);
    const infer = await fetch(`${gateway.url}/api/v1/llms/none/infer`, {
      method: "POST",
      headers: { "content-type": "application/json", ...spoofed },
      body: "{}",
    });
    await useDataDir(gateway.dataDir);
    const [inferRow] = await auditFor(infer.headers.get("x-request-id"));
    expect(inferRow!.clientIp).toBe("127.0.0.1");
    const loginRow = await seededStore().read(({ db, t }) =>
      one(db.select().from(t.auditEvents).where(eq(t.auditEvents.event, "login")).orderBy(desc(t.auditEvents.id))),
    );
    expect(loginRow!.clientIp).toBe("127.0.0.1");
  });

  it("a wrong password gets the same 401 as an unknown user", async () => {
    const wrong = await fetch(`${gateway.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "admin", password: "nope" }),
    });
    const unknown = await fetch(`${gateway.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "ghost", password: "nope" }),
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });
});
