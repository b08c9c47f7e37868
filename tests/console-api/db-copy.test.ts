import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectRefused, expectSuccess, runCli } from "../../server/cli/cli-test-helpers";
import { insertAuditRows } from "../../server/audit/test-rows";
import { ensureBuilt } from "../helpers/build";
import { newTestDatabase, TEST_ENGINE, type TestDatabase } from "../helpers/engine";
import { openaiCompletion, sendJson, startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstream";
import { makeDataDir, registerDatabase, startGateway, type RunningGateway } from "../helpers/gateway";
import { seedGateway, seededStore, type SeededTokens } from "../helpers/seed";

describe.runIf(TEST_ENGINE === "postgres")("llm-gateway db copy", () => {
  let upstream: FakeUpstream;
  let sqliteDir = "";
  let target: TestDatabase;
  let tokens: SeededTokens;
  let gateway: RunningGateway | null = null;

  beforeAll(async () => {
    await ensureBuilt();
    upstream = await startFakeUpstream();
    upstream.handle((_request, response) => sendJson(response, 200, openaiCompletion("copied")));
    // A SQLite deployment with a master.key file, whatever the engine of this run.
    sqliteDir = await makeDataDir();
    registerDatabase(sqliteDir, await newTestDatabase(sqliteDir, "sqlite"));
    tokens = await seedGateway(sqliteDir, upstream.url);
    await insertAuditRows(
      seededStore(),
      Array.from({ length: 4500 }, (_, index) => ({ ts: Date.UTC(2026, 0, 1) + index * 60_000, user: "alice", llm: "gpt", requestId: `old-${index}` })),
    );
    const targetDir = await makeDataDir();
    target = await newTestDatabase(targetDir, "postgres", "template0");
  });
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    await target?.drop();
  });

  it("copies everything into an empty database, verifies the counts, and the copy serves as the original did", async () => {
    const output = expectSuccess(runCli(sqliteDir, ["db", "copy", "--to", target.url!]));
    expect(output).toMatch(/^audit_events +4\d{3} +4\d{3}$/m);
    for (const table of ["users", "secrets", "secret_keys", "llms", "role_bindings", "api_tokens"]) {
      const [, source, copied] = output.match(new RegExp(`^${table} +(\\d+) +(\\d+)$`, "m"))!;
      expect(Number(source), table).toBeGreaterThan(0);
      expect(copied, table).toBe(source);
    }
    expect(output).toMatch(/GATEWAY_MASTER_KEY set to the key in .*master\.key \(key id [0-9a-f]{16}\)/);
    expect(output).not.toContain("gw-test-postgres-password");

    // The PostgreSQL deployment takes the SQLite one's key from the environment.
    const key = fs.readFileSync(path.join(sqliteDir, "master.key"), "utf8").trim();
    const servingDir = await makeDataDir();
    registerDatabase(servingDir, { ...target, env: { GATEWAY_DATABASE_URL: target.url!, GATEWAY_MASTER_KEY: key } });
    gateway = await startGateway({ mode: "lean", dataDir: servingDir });
    const response = await fetch(`${gateway.url}/api/v1/llms/gpt/infer`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens.alice}` },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(200);
    expect(upstream.requests.at(-1)!.headers.authorization).toBe("Bearer sk-proj-UPSTREAMKEY-openai-0001");
    // New rows get ids past the copied ones: carol (who edits llms) adds one without a key clash.
    const created = await fetch(`${gateway.url}/api/trpc/llms.create`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens.carol}` },
      body: JSON.stringify({ name: "after-copy", provider: "ollama", model: "m", url: `${upstream.url}/v1` }),
    });
    expect(created.status, await created.clone().text()).toBe(200);
  });

  it("refuses a database that is not empty, and a target that is not PostgreSQL", () => {
    expectRefused(runCli(sqliteDir, ["db", "copy", "--to", target.url!]), /the target database is not empty \(\d+ users, /);
    expectRefused(runCli(sqliteDir, ["db", "copy", "--to", "mysql://db.internal/gateway"]), /--to: must be a postgres:\/\/ URL with a host/);
  });
});
