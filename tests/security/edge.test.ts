import net from "node:net";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { one } from "../../db/program";
import { openaiCompletion, sendJson, type FakeUpstream } from "../helpers/fake-upstream";
import type { RunningGateway, ServeMode } from "../helpers/gateway";
import { auditFor, seededStore, useDataDir, type SeededTokens } from "../helpers/seed";
import { startSeededGateway, stopSeededGateway } from "../helpers/seeded-gateway";
import { rawExchange } from "./raw-http";
import { sendChunkedUntilAnswered } from "./requests";

const SMUGGLED = "GET /login HTTP/1.1\r\nHost: x\r\n\r\n";

/** What the edge of each serving mode believes about a request's framing, target and origin. */
describe.each<ServeMode>(["lean", "next"])("the HTTP edge served by %s", (mode) => {
  let upstream: FakeUpstream;
  let gateway: RunningGateway;
  let tokens: SeededTokens;
  let host = "";

  beforeAll(async () => {
    ({ upstream, gateway, tokens } = await startSeededGateway(mode, (_request, response) => sendJson(response, 200, openaiCompletion("ok"))));
    host = new URL(gateway.url).host;
    await useDataDir(gateway.dataDir);
  });
  afterAll(() => stopSeededGateway({ gateway, upstream }));

  /** Every later caller gets its own answer: nothing smuggled is waiting on a relayed connection. */
  async function expectHealthyAnswers(): Promise<void> {
    for (let index = 0; index < 30; index += 1) {
      const response = await fetch(`${gateway.url}/api/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: "ok" });
    }
  }

  it("a chunked body on a GET is never read as a request of its own", async () => {
    const chunk = `${SMUGGLED.length.toString(16)}\r\n${SMUGGLED}\r\n0\r\n\r\n`;
    const responses = await rawExchange(
      gateway.url,
      `GET /api/health HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk}`,
    );
    expect(responses).toHaveLength(1);
    // npm start refuses the body; Next alone answers the GET and ignores it.
    if (mode === "lean") expect(responses[0]!.status).toBe(400);
    else expect(JSON.parse(responses[0]!.body)).toMatchObject({ status: "ok" });
    await expectHealthyAnswers();
  });

  it("a Content-Length body on a GET or a DELETE is never read as a request of its own", async () => {
    for (const method of ["GET", "DELETE"]) {
      const responses = await rawExchange(
        gateway.url,
        `${method} /api/health HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ${SMUGGLED.length}\r\nConnection: close\r\n\r\n${SMUGGLED}`,
      );
      expect(responses).toHaveLength(1);
      if (mode === "lean") expect(responses[0]!.status).toBe(400);
      expect(responses[0]!.body).not.toContain("<html");
    }
    await expectHealthyAnswers();
  });

  it("Content-Length together with Transfer-Encoding is refused", async () => {
    const body = `0\r\n\r\n${SMUGGLED}`;
    const responses = await rawExchange(
      gateway.url,
      `POST /api/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n\r\n${body}`,
    );
    expect(responses).toHaveLength(1);
    expect(responses[0]!.status).toBe(400);
    await expectHealthyAnswers();
  });

  it("pipelined requests get their own answers, in order", async () => {
    const get = (path: string, close = false) => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${close ? "Connection: close\r\n" : ""}\r\n`;
    const responses = await rawExchange(gateway.url, get("/api/health") + get("/login") + get("/api/health") + get("/api/v1/models", true));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 401]);
    expect(JSON.parse(responses[0]!.body)).toMatchObject({ status: "ok" });
    expect(responses[1]!.body).toContain("<html");
    expect(JSON.parse(responses[2]!.body)).toMatchObject({ status: "ok" });
    expect(JSON.parse(responses[3]!.body)).toMatchObject({ error: { type: "authentication_error" } });
  });

  it("a host named in an absolute-form request target is never used", async () => {
    for (const target of ["http://evil.example/", "http://evil.example/login?next=/llms", "http://evil.example/api/health"]) {
      const [response] = await rawExchange(gateway.url, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(response!.status).toBeLessThan(500);
      expect(JSON.stringify(response)).not.toContain("evil.example");
    }
  });

  it("a console, tRPC or login body over 1 MiB is a 413 before it is read, chunked or not", async () => {
    const json = { "content-type": "application/json" };
    for (const path of ["/api/auth/login", "/api/trpc/llms.create"]) {
      const chunked = await sendChunkedUntilAnswered(gateway.url, path, { ...json, authorization: `Bearer ${tokens.alice}` }, 8 * 1024 * 1024);
      expect(chunked.status, path).toBe(413);
      const declared = await fetch(`${gateway.url}${path}`, {
        method: "POST",
        headers: { ...json, authorization: `Bearer ${tokens.alice}` },
        body: JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) }),
      }).catch(() => null);
      // A server may close before the whole upload went out; what matters is that nothing read it all.
      if (declared) expect(declared.status, path).toBe(413);
    }
    const small = await fetch(`${gateway.url}/api/auth/login`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ name: "alice", password: "alice-password", padding: "p".repeat(512 * 1024) }),
    });
    expect(small.status).toBe(204);
    await expectHealthyAnswers();
  });

  // Only npm start relays console requests (next start serves them itself).
  it.skipIf(mode !== "lean")("a client that leaves in the middle of a relayed console request is no error in the log", async () => {
    const { hostname, port } = new URL(gateway.url);
    const socket = net.connect(Number(port), hostname);
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(`POST /api/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"nam\r\n`);
    // The console now waits for the rest of the body; the client goes away instead.
    await expectHealthyAnswers();
    socket.destroy();
    await expectHealthyAnswers();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gateway.output()).not.toMatch(/"level":50.*console relay failed/);
  });

  it("X-Forwarded-For and X-Forwarded-Proto from a client are not believed without a trusted proxy", async () => {
    const spoofed = { "x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https", "x-forwarded-host": "evil.example" };
    const login = await fetch(`${gateway.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", ...spoofed },
      body: JSON.stringify({ name: "alice", password: "alice-password" }),
    });
    expect(login.status).toBe(204);
    expect(login.headers.get("set-cookie")).not.toMatch(/Secure/i);
    const loginRow = () =>
      seededStore().read(({ db, t }) =>
        one(
          db
            .select()
            .from(t.auditEvents)
            .where(and(eq(t.auditEvents.event, "login"), eq(t.auditEvents.user, "alice")))
            .orderBy(desc(t.auditEvents.id)),
        ),
      );
    await expect.poll(async () => (await loginRow())?.clientIp, { timeout: 10_000 }).toBe("127.0.0.1");
    const infer = await fetch(`${gateway.url}/api/v1/llms/gpt/infer`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.alice}`, "content-type": "application/json", ...spoofed },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    });
    expect(infer.status).toBe(200);
    const [row] = await auditFor(infer.headers.get("x-request-id"));
    expect(row!.clientIp).toBe("127.0.0.1");
    const denied = await fetch(`${gateway.url}/api/trpc/llms.remove`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.bob}`, "content-type": "application/json", ...spoofed },
      body: JSON.stringify({ name: "gpt" }),
    });
    expect(denied.status).toBe(403);
    const deniedRow = () =>
      seededStore().read(({ db, t }) =>
        one(
          db
            .select()
            .from(t.auditEvents)
            .where(and(eq(t.auditEvents.event, "permission_denied"), eq(t.auditEvents.user, "bob")))
            .orderBy(desc(t.auditEvents.id)),
        ),
      );
    await expect.poll(async () => (await deniedRow())?.clientIp, { timeout: 10_000 }).toBe("127.0.0.1");
  });
});
