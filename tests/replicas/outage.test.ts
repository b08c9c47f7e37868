import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../server/cli/cli-test-helpers";
import { ensureBuilt } from "../helpers/build";
import { postgresTestDatabase, TEST_ENGINE } from "../helpers/engine";
import { openaiCompletion, sendJson, startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstream";
import { registerDatabase, startGateway, type RunningGateway } from "../helpers/gateway";
import { startPostgresCluster, type PostgresCluster } from "../helpers/postgres-cluster";
import { auditFor, seedGateway, type SeededTokens } from "../helpers/seed";

// A server of its own: stopping the shared one would stop every other test file with it.
describe.runIf(TEST_ENGINE === "postgres")("PostgreSQL stopped and restarted under load", () => {
  let cluster: PostgresCluster;
  let upstream: FakeUpstream;
  let gateway: RunningGateway;
  let tokens: SeededTokens;
  let dataDir = "";

  beforeAll(async () => {
    await ensureBuilt();
    cluster = await startPostgresCluster();
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query("CREATE DATABASE gw_outage");
    await admin.end();
    const url = new URL(cluster.url);
    url.pathname = "/gw_outage";
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-outage-"));
    registerDatabase(
      dataDir,
      postgresTestDatabase(dataDir, url.toString(), async () => undefined),
    );
    upstream = await startFakeUpstream();
    upstream.handle((_request, response) => sendJson(response, 200, openaiCompletion("ok")));
    tokens = await seedGateway(dataDir, upstream.url);
    gateway = await startGateway({ mode: "lean", dataDir });
  });
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    cluster?.remove();
  });

  const call = async () => {
    const response = await fetch(`${gateway.url}/api/v1/llms/gpt/infer`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens.alice}` },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(200);
    return response.headers.get("x-request-id")!;
  };
  const health = async () => (await fetch(`${gateway.url}/api/health`)).json();

  it("keeps serving inference, answers the console with 503, and writes every buffered audit row once it is back", async () => {
    const ids: string[] = [];
    for (let index = 0; index < 20; index += 1) ids.push(await call());
    expect(await health()).toEqual({ status: "ok", database: "ok" });

    cluster.stop();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(gateway.process.exitCode, gateway.output().slice(-4000)).toBeNull();
    await expect.poll(health, { timeout: 10_000 }).toEqual({ status: "degraded", database: "unreachable" });
    for (let index = 0; index < 40; index += 1) ids.push(await call());
    const consoleAnswer = await fetch(`${gateway.url}/api/trpc/llms.list`, { headers: { authorization: `Bearer ${tokens.alice}` } });
    expect(consoleAnswer.status, await consoleAnswer.clone().text()).toBe(503);
    expect(JSON.stringify(await consoleAnswer.json())).toContain("database unavailable");
    const cli = runCli(dataDir, ["get", "llms"]);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(
      /^llm-gateway: database unavailable: cannot reach the PostgreSQL database at postgres:\/\/postgres@127\.0\.0\.1:\d+\/gw_outage [^\n]*\n$/,
    );
    expect(cli.stderr).not.toContain("gw-test-postgres-password");

    cluster.start();
    for (let index = 0; index < 20; index += 1) ids.push(await call());
    await expect.poll(health, { timeout: 10_000 }).toEqual({ status: "ok", database: "ok" });
    for (const id of ids) expect(await auditFor(id, 30_000), id).toHaveLength(1);
    expect(gateway.output()).toContain("audit write failed; keeping the rows and retrying");
    expect(gateway.output()).toContain("audit writes resumed");
  });
});
