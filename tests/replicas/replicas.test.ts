import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { ensureBuilt } from "../helpers/build";
import { newTestDatabase, TEST_ENGINE } from "../helpers/engine";
import { openaiCompletion, openaiStreamFrames, sendJson, sendSse, startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstream";
import { databaseFor, makeDataDir, registerDatabase, sameDatabaseDir, startGateway, type RunningGateway } from "../helpers/gateway";
import { REPO_ROOT } from "../helpers/paths";
import { auditFor, operator, seededStore, seedGateway, type SeededTokens } from "../helpers/seed";
import { createBinding } from "../../server/bindings/create";
import { createLimit } from "../../server/limits/create";
import { removeLimit } from "../../server/limits/remove";
import { eq } from "drizzle-orm";
import { rows } from "../../db/program";

const json = { "content-type": "application/json" };
const ask = (gateway: RunningGateway, token: string, body: Record<string, unknown> = {}) =>
  fetch(`${gateway.url}/api/v1/llms/gpt/infer`, {
    method: "POST",
    headers: { ...json, authorization: `Bearer ${token}` },
    body: JSON.stringify({ messages: [{ role: "user", content: "hi" }], ...body }),
  });

async function trpc(gateway: RunningGateway, procedure: string, input: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(`${gateway.url}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { ...json, "x-gateway-csrf": "1", ...headers },
    body: JSON.stringify(input),
  });
}

async function login(gateway: RunningGateway, name: string, password: string): Promise<string> {
  const response = await fetch(`${gateway.url}/api/auth/login`, { method: "POST", headers: json, body: JSON.stringify({ name, password }) });
  expect(response.status).toBe(204);
  return response.headers.get("set-cookie")!.split(";")[0]!;
}

describe.runIf(TEST_ENGINE === "postgres")("two replicas on one PostgreSQL database", () => {
  let upstream: FakeUpstream;
  let tokens: SeededTokens;
  let first: RunningGateway;
  let second: RunningGateway;

  beforeAll(async () => {
    await ensureBuilt();
    upstream = await startFakeUpstream();
    upstream.handle(async (request, response) => {
      if (request.json?.stream) await sendSse(response, openaiStreamFrames(request, ["one ", "two ", "three ", "four ", "five"]), { delayMs: 300 });
      else sendJson(response, 200, openaiCompletion("ok"));
    });
    const dataDir = await makeDataDir();
    tokens = await seedGateway(dataDir, upstream.url);
    await createBinding({ ctx: operator(), input: { user: "carol", role: "admin", resource: "*" } });
    const env = { GATEWAY_LOGIN_MAX_FAILURES: "4" };
    [first, second] = await Promise.all([startGateway({ mode: "lean", dataDir, env }), startGateway({ mode: "lean", dataDir: sameDatabaseDir(dataDir), env })]);
  });
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await upstream?.close();
  });

  it("a token revoked through one replica is refused by the other within 1 s", async () => {
    const admin = await login(first, "carol", "carol-password");
    const delays: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      const created = await trpc(first, "tokens.create", { user: "alice", name: `round-${round}` }, { cookie: admin });
      const { token, prefix } = ((await created.json()) as { result: { data: { token: string; prefix: string } } }).result.data;
      // The other replica learns of the new token through the same channel.
      const deadline = Date.now() + 5000;
      while ((await ask(second, token)).status !== 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect((await ask(second, token)).status).toBe(200);
      expect((await trpc(first, "tokens.revoke", { prefix }, { cookie: admin })).status).toBe(200);
      const revokedAt = Date.now();
      while ((await ask(second, token)).status !== 401 && Date.now() - revokedAt < 5000) await new Promise((resolve) => setTimeout(resolve, 5));
      delays.push(Date.now() - revokedAt);
      expect((await ask(second, token)).status).toBe(401);
    }
    console.log(`revocation seen by the other replica after ${delays.join(", ")} ms (max ${Math.max(...delays)} ms)`);
    expect(Math.max(...delays)).toBeLessThan(1000);
  });

  it("a console session opened on one replica works on the other, and a logout there ends it", async () => {
    const cookie = await login(first, "alice", "alice-password");
    const me = (gateway: RunningGateway) => fetch(`${gateway.url}/api/trpc/me.get`, { headers: { cookie } });
    expect((await me(second)).status).toBe(200);
    expect((await fetch(`${second.url}/api/auth/logout`, { method: "POST", headers: { cookie, "x-gateway-csrf": "1" } })).status).toBe(204);
    expect((await me(first)).status).toBe(401);
  });

  it("failed logins count on every replica: four spread over both lock the address out of both", async () => {
    const attempt = (gateway: RunningGateway, password: string) =>
      fetch(`${gateway.url}/api/auth/login`, { method: "POST", headers: json, body: JSON.stringify({ name: "bob", password }) });
    for (const gateway of [first, second, first, second]) expect((await attempt(gateway, "wrong")).status).toBe(401);
    for (const gateway of [first, second]) expect((await attempt(gateway, "bob-password")).status).toBe(429);
  });

  it("audit rows written by both replicas add up", async () => {
    const ids: string[] = [];
    for (let index = 0; index < 20; index += 1) {
      const response = await ask(index % 2 === 0 ? first : second, tokens.alice);
      expect(response.status).toBe(200);
      ids.push(response.headers.get("x-request-id")!);
    }
    for (const id of ids) expect(await auditFor(id)).toHaveLength(1);
  });

  it("two replicas hammering one limit admit no more than it allows, and count every call they admit", async () => {
    const max = 30;
    const created = await createLimit({ ctx: operator(), input: { scope: { user: "bob" }, metric: "requests", window: "day", max } });
    // A replica applies the limit once its answers carry the limit's header; that first answer is counted, those before it are not.
    for (const gateway of [first, second]) {
      for (;;) {
        const response = await ask(gateway, tokens.bob);
        expect(response.status).toBe(200);
        if (response.headers.get("x-ratelimit-limit-requests") === String(max)) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    // 128 calls, 8 at a time on each replica.
    const hammered: number[] = [];
    const hammer = async (gateway: RunningGateway) => {
      for (let round = 0; round < 8; round += 1) {
        const answers = await Promise.all(Array.from({ length: 8 }, () => ask(gateway, tokens.bob)));
        for (const answer of answers) hammered.push(answer.status);
      }
    };
    await Promise.all([hammer(first), hammer(second)]);
    const admitted = 2 + hammered.filter((status) => status === 200).length;
    expect(hammered.every((status) => status === 200 || status === 429)).toBe(true);
    console.log(
      `two replicas, requests limit ${max}: ${admitted} admitted (including the 2 probes), ${hammered.filter((status) => status === 429).length} refused`,
    );
    expect(admitted).toBeLessThanOrEqual(max);
    // Every admitted call reaches the shared counter (each replica publishes within a sync).
    const used = async () =>
      (await seededStore().read(({ db, t }) => rows(db.select().from(t.limitCounters).where(eq(t.limitCounters.limitId, created.id))))).reduce(
        (sum, row) => sum + row.used,
        0,
      );
    const deadline = Date.now() + 10_000;
    while ((await used()) < admitted && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await used()).toBe(admitted);
    await removeLimit({ ctx: operator(), input: { id: created.id } });
  });

  it("a replica killed with SIGKILL leaves the other serving its streams", async () => {
    const stream = await ask(second, tokens.alice, { stream: true });
    expect(stream.status).toBe(200);
    const body = stream.text();
    expect(await first.stop("SIGKILL")).toBeNull();
    const text = await body;
    expect(text).toContain("five");
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    expect((await ask(second, tokens.alice)).status).toBe(200);
  });
});

describe.runIf(TEST_ENGINE === "postgres")("replicas starting together on an empty database", () => {
  it("migrate it once and create one admin", async () => {
    await ensureBuilt();
    const dataDir = await makeDataDir();
    const database = databaseFor(dataDir);
    const empty = await newTestDatabase(dataDir, "postgres", "template0");
    registerDatabase(dataDir, empty);
    const gateways = await Promise.all([startGateway({ mode: "lean", dataDir }), startGateway({ mode: "lean", dataDir: sameDatabaseDir(dataDir) })]);
    try {
      const client = new pg.Client({ connectionString: empty.url! });
      await client.connect();
      const migrations = await client.query("SELECT hash FROM drizzle.__drizzle_migrations");
      const admins = await client.query("SELECT name FROM users");
      await client.end();
      const shipped = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "db/postgres/migrations/meta/_journal.json"), "utf8")).entries.length;
      expect(migrations.rowCount).toBe(shipped);
      expect(new Set(migrations.rows.map((row) => row.hash)).size).toBe(shipped);
      expect(admins.rows).toEqual([{ name: "admin" }]);
    } finally {
      await Promise.all(gateways.map((gateway) => gateway.stop()));
      await database.drop();
      await empty.drop();
    }
  });
});
