import { TEST_ENGINE } from "../helpers/engine";
import { afterEach, describe, expect, it } from "vitest";
import { ensureBuilt } from "../helpers/build";
import { makeDataDir, startGateway, type RunningGateway } from "../helpers/gateway";
import { seedGateway, useDataDir, operator } from "../helpers/seed";
import { startFakeUpstream } from "../helpers/fake-upstream";
import { createLlm } from "../../server/llms/create";
import { updateUser } from "../../server/users/update";

describe("first start, restarts and changes from another process", () => {
  const running: RunningGateway[] = [];
  afterEach(async () => {
    for (const gateway of running.splice(0)) await gateway.stop();
  });

  it("generates the admin password once, prints it once, and it works", async () => {
    await ensureBuilt();
    const dataDir = await makeDataDir();
    const first = await startGateway({ mode: "lean", dataDir, env: { GATEWAY_ADMIN_PASSWORD: "" } });
    running.push(first);
    const match = /Initial admin password: (\S+)/.exec(first.output());
    expect(match).not.toBeNull();
    expect(first.output().match(/Initial admin password/g)).toHaveLength(1);
    // One block says where to sign in and as whom.
    expect(first.output()).toContain(`Sign in to the console at http://localhost:${new URL(first.url).port}/login`);
    expect(first.output()).toContain("  user:     admin");
    const login = await fetch(`${first.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "admin", password: match![1] }),
    });
    expect(login.status).toBe(204);
    expect(await (await fetch(`${first.url}/api/health`)).json()).toEqual({ status: "ok", database: "ok" });
    expect(await first.stop()).toBe(0);
    running.pop();
    const second = await startGateway({ mode: "lean", dataDir, env: { GATEWAY_ADMIN_PASSWORD: "" } });
    running.push(second);
    expect(second.output()).not.toContain("Initial admin password");
  });

  it("a busy port fails clearly before anything is created; the next start creates and prints the admin", async () => {
    await ensureBuilt();
    const net = await import("node:net");
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = await makeDataDir();
    const attempt = startGateway({ mode: "lean", dataDir, env: { GATEWAY_ADMIN_PASSWORD: "", PORT: String(port) } });
    const failure = String(await attempt.catch((error: unknown) => error));
    await new Promise((resolve) => blocker.close(resolve));
    expect(failure).toContain(`Port ${port} on 127.0.0.1 is already in use: stop what holds it or set PORT to another port.`);
    expect(failure).not.toContain("Initial admin password");
    expect(failure).not.toMatch(/\n\s+at /);
    const next = await startGateway({ mode: "lean", dataDir, env: { GATEWAY_ADMIN_PASSWORD: "" } });
    running.push(next);
    expect(next.output()).toMatch(/Initial admin password: \S+/);
  });

  it("refuses to start with a master key other than the one that encrypted the secrets", async () => {
    await ensureBuilt();
    const dataDir = await makeDataDir();
    const upstream = await startFakeUpstream();
    await seedGateway(dataDir, upstream.url);
    await upstream.close();
    const attempt = startGateway({ mode: "lean", dataDir, env: { GATEWAY_MASTER_KEY: Buffer.alloc(32, 9).toString("base64") } });
    await expect(attempt).rejects.toThrow(/is not the key the stored secrets were encrypted with/);
  });

  it("a running server sees changes made by another process promptly", async () => {
    await ensureBuilt();
    const dataDir = await makeDataDir();
    const upstream = await startFakeUpstream();
    const tokens = await seedGateway(dataDir, upstream.url);
    const gateway = await startGateway({ mode: "lean", dataDir });
    running.push(gateway);
    const models = async () => {
      const response = await fetch(`${gateway.url}/api/v1/models`, { headers: { authorization: `Bearer ${tokens.alice}` } });
      return response.status === 200 ? ((await response.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id) : response.status;
    };
    expect(await models()).not.toContain("added-later");
    await useDataDir(dataDir);
    await createLlm({ ctx: operator(), input: { name: "added-later", provider: "openai", model: "m" } });
    const changedAt = Date.now();
    while (!JSON.stringify(await models()).includes("added-later") && Date.now() - changedAt < 5000) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(Date.now() - changedAt).toBeLessThan(1000);
    await updateUser({ ctx: operator(), input: { name: "alice", disabled: true } });
    const disabledAt = Date.now();
    while ((await models()) !== 401 && Date.now() - disabledAt < 5000) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await models()).toBe(401);
    expect(Date.now() - disabledAt).toBeLessThan(1000);
    await upstream.close();
  });
});

// Rotation by the CLI rewrites master.key; on PostgreSQL the key comes from GATEWAY_MASTER_KEY on every replica.
describe.skipIf(TEST_ENGINE === "postgres")("master key rotation by the CLI while the server runs", () => {
  it("keeps inference working with the re-encrypted key", async () => {
    const { spawnSync } = await import("node:child_process");
    const { REPO_ROOT } = await import("../helpers/fresh-db");
    const { openaiCompletion, sendJson } = await import("../helpers/fake-upstream");
    const { OPENAI_KEY } = await import("../helpers/seed");
    await ensureBuilt();
    const dataDir = await makeDataDir();
    const upstream = await startFakeUpstream();
    upstream.handle((_request, response) => sendJson(response, 200, openaiCompletion("ok")));
    const tokens = await seedGateway(dataDir, upstream.url);
    const gateway = await startGateway({ mode: "lean", dataDir });
    try {
      const infer = () =>
        fetch(`${gateway.url}/api/v1/llms/gpt/infer`, {
          method: "POST",
          headers: { authorization: `Bearer ${tokens.alice}`, "content-type": "application/json" },
          body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
        });
      expect((await infer()).status).toBe(200);
      const rotation = spawnSync(process.execPath, ["bin/llm-gateway.mjs", "secret", "rotate-master-key"], {
        cwd: REPO_ROOT,
        env: { ...process.env, GATEWAY_DATA_DIR: dataDir },
        encoding: "utf8",
      });
      expect(rotation.status).toBe(0);
      expect(rotation.stdout).toMatch(/re-encrypted 2 values under master key/);
      for (let attempt = 0; attempt < 8; attempt += 1) {
        const response = await infer();
        expect(response.status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(upstream.requests.at(-1)!.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    } finally {
      await gateway.stop();
      await upstream.close();
    }
  });
});
