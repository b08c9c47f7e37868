import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import { startFakeOpenAI } from "./fake-openai";

export const ADMIN_PASSWORD = "e2e-admin-password";
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Fake upstream + the built gateway (`node dist/server.mjs`) on a fresh data dir; returns the teardown. */
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  if (!fs.existsSync(path.join(ROOT, "dist", "server.mjs")) || !fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("The e2e tests run the built gateway: run `node scripts/build.mjs` first.");
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-e2e-"));
  const upstream = await startFakeOpenAI();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logPath = path.join(dataDir, "gateway.log");
  const log = fs.openSync(logPath, "a");
  const gateway = spawn(process.execPath, [path.join(ROOT, "dist", "server.mjs")], {
    cwd: ROOT,
    stdio: ["ignore", log, log],
    env: {
      ...process.env,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      GATEWAY_DATA_DIR: dataDir,
      GATEWAY_ADMIN_PASSWORD: ADMIN_PASSWORD,
      GATEWAY_APP_ROOT: ROOT,
      GATEWAY_ENV_SECRETS_ALLOW: "SPARE_*",
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
    },
  });
  const exited = new Promise<void>((resolve) => gateway.once("exit", () => resolve()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (gateway.exitCode !== null) throw new Error(`The gateway exited during startup:\n${fs.readFileSync(logPath, "utf8")}`);
    const healthy = await fetch(`${baseUrl}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) throw new Error(`The gateway did not answer /api/health within 60 s:\n${fs.readFileSync(logPath, "utf8")}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  process.env.GATEWAY_BASE_URL = baseUrl;
  process.env.FAKE_UPSTREAM_URL = upstream.url;
  process.env.GATEWAY_ADMIN_PASSWORD = ADMIN_PASSWORD;
  process.env.GATEWAY_E2E_DATA_DIR = dataDir;

  return async () => {
    if (gateway.exitCode === null) gateway.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (gateway.exitCode === null) gateway.kill("SIGKILL");
    await upstream.close();
    fs.closeSync(log);
    if (!process.env.E2E_KEEP_DATA) fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
