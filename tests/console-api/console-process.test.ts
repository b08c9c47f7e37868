import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBinding } from "../../server/bindings/create";
import { createToken } from "../../server/tokens/create";
import { openaiCompletion, sendJson, sleep, type FakeUpstream } from "../helpers/fake-upstream";
import type { RunningGateway } from "../helpers/gateway";
import { operator, type SeededTokens } from "../helpers/seed";
import { startSeededGateway, stopSeededGateway } from "../helpers/seeded-gateway";

/** `npm start` serves the console from a child process; inference stays in the server process. */
describe("the console process beside the inference server", () => {
  let upstream: FakeUpstream;
  let gateway: RunningGateway;
  let tokens: SeededTokens;
  let admin = "";

  beforeAll(async () => {
    ({ upstream, gateway, tokens } = await startSeededGateway("lean", (_request, response) => sendJson(response, 200, openaiCompletion("ok")), {
      beforeStart: async () => {
        await createBinding({ ctx: operator(), input: { user: "carol", role: "admin", resource: "*" } });
        admin = (await createToken({ ctx: operator(), input: { user: "carol" } })).token;
      },
    }));
  });
  afterAll(() => stopSeededGateway({ gateway, upstream }));

  const infer = (token: string, llm: string) =>
    fetch(`${gateway.url}/api/v1/llms/${llm}/infer`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    }).then((response) => response.status);
  /** 200, or the status and body for a readable failure. */
  const mutate = (procedure: string, input: unknown) =>
    fetch(`${gateway.url}/api/trpc/${procedure}`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify(input),
    }).then(async (response) => (response.status === 200 ? 200 : `${response.status} ${await response.text()}`));

  it("a grant or a revocation made in the console applies to the very next inference call", async () => {
    expect(await infer(tokens.bob, "local")).toBe(403);
    expect(await mutate("bindings.create", { user: "bob", role: "run", resource: "llms", name: "local" })).toBe(200);
    expect(await infer(tokens.bob, "local")).toBe(200);
    expect(await infer(tokens.alice, "gpt")).toBe(200);
    expect(await mutate("tokens.revoke", { prefix: tokens.alice.slice(0, 12) })).toBe(200);
    expect(await infer(tokens.alice, "gpt")).toBe(401);
  });

  it("keeps serving inference while the console process is down, and brings the console back", async () => {
    const consolePid = Number(execFileSync("pgrep", ["-P", String(gateway.process.pid), "-f", "console.mjs"], { encoding: "utf8" }).trim());
    expect(consolePid).toBeGreaterThan(0);
    process.kill(consolePid, "SIGKILL");
    for (let attempt = 0; attempt < 20; attempt += 1) {
      expect(await infer(tokens.bob, "gpt")).toBe(200);
      if ((await fetch(`${gateway.url}/api/health`)).status === 502) break;
      await sleep(10);
    }
    expect((await fetch(`${gateway.url}/api/health`)).status).toBe(502);
    expect(await infer(tokens.bob, "gpt")).toBe(200);
    let health = 0;
    for (const deadline = Date.now() + 30_000; Date.now() < deadline && health !== 200; await sleep(100))
      health = (await fetch(`${gateway.url}/api/health`)).status;
    expect(health).toBe(200);
    expect(gateway.output()).toContain("console process exited; restarting");
  });

  it("relays cookies, statuses and headers both ways", async () => {
    const signedIn = await fetch(`${gateway.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "carol", password: "carol-password" }),
    });
    expect(signedIn.status).toBe(204);
    const cookie = signedIn.headers.get("set-cookie")!.split(";")[0]!;
    const page = await fetch(`${gateway.url}/llms`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(page.headers.get("keep-alive")).not.toBe("timeout=5");
    expect(await page.text()).toContain("gpt");
  });

  it("when the server is killed outright, its console process exits and removes its socket", async () => {
    const { upstream: otherUpstream, gateway: other } = await startSeededGateway("lean", (_request, response) =>
      sendJson(response, 200, openaiCompletion("ok")),
    );
    const consolePid = Number(execFileSync("pgrep", ["-P", String(other.process.pid), "-f", "console.mjs"], { encoding: "utf8" }).trim());
    const socketPath = fs
      .readFileSync(`/proc/${consolePid}/cmdline`, "utf8")
      .split("\0")
      .find((arg) => arg.endsWith("console.sock"))!;
    expect(fs.existsSync(socketPath)).toBe(true);
    const consoleExited = new Promise<void>((resolve) => {
      // Gone, or a zombie waiting for whoever adopted it to reap it.
      const running = () => fs.existsSync(`/proc/${consolePid}`) && fs.readFileSync(`/proc/${consolePid}/stat`, "utf8").split(") ")[1]![0] !== "Z";
      const check = () => (running() ? setTimeout(check, 20) : resolve());
      check();
    });
    await other.stop("SIGKILL");
    await consoleExited;
    expect(fs.existsSync(path.dirname(socketPath))).toBe(false);
    await otherUpstream.close();
  });
});
