import { afterEach, describe, expect, it } from "vitest";
import pg from "pg";
import { ensureBuilt } from "../helpers/build";
import { databaseUrl, TEST_ENGINE, TEST_MASTER_KEY } from "../helpers/engine";
import { databaseFor, freePort, makeDataDir, startGateway, type RunningGateway } from "../helpers/gateway";

/** Starts a gateway expected to refuse; returns everything it printed. */
async function refusal(env: Record<string, string>): Promise<string> {
  await ensureBuilt();
  const dataDir = await makeDataDir();
  const failure = await startGateway({ mode: "lean", dataDir, env }).then(
    (gateway) => {
      running.push(gateway);
      throw new Error("the gateway started");
    },
    (error: unknown) => String(error),
  );
  return failure.replace(/^Error: gateway exited early:\n/, "");
}

const running: RunningGateway[] = [];

/** One line on stderr naming what is wrong, no stack trace, and no password. */
function expectOneLine(output: string, reason: RegExp, secret?: string): void {
  const lines = output.trim().split("\n");
  expect(lines, output).toHaveLength(1);
  expect(lines[0]).toMatch(reason);
  expect(output).not.toMatch(/\n\s+at /);
  if (secret) expect(output).not.toContain(secret);
}

describe("a database the gateway cannot use is a one-line startup error", () => {
  afterEach(async () => {
    for (const gateway of running.splice(0)) await gateway.stop();
  });

  it("a malformed GATEWAY_DATABASE_URL", async () => {
    for (const url of ["mysql://db.internal/gateway", "not a url", "postgres:///no-host"]) {
      expectOneLine(await refusal({ GATEWAY_DATABASE_URL: url }), /^Invalid configuration: GATEWAY_DATABASE_URL: must be a postgres:\/\/ URL/);
    }
  });

  it("an unreachable server, named without its password", async () => {
    const port = await freePort();
    const output = await refusal({ GATEWAY_DATABASE_URL: `postgres://gateway:s3cret-pw@127.0.0.1:${port}/gateway`, GATEWAY_MASTER_KEY: TEST_MASTER_KEY });
    expectOneLine(
      output,
      new RegExp(`^database unavailable: cannot reach the PostgreSQL database at postgres://gateway@127\\.0\\.0\\.1:${port}/gateway \\(.*ECONNREFUSED`),
      "s3cret-pw",
    );
  });

  describe.runIf(TEST_ENGINE === "postgres")("on the test server", () => {
    it("a wrong password", async () => {
      const url = new URL(databaseUrl("postgres"));
      url.password = "not-the-password";
      const output = await refusal({ GATEWAY_DATABASE_URL: url.toString(), GATEWAY_MASTER_KEY: TEST_MASTER_KEY });
      expectOneLine(
        output,
        /^Cannot use the PostgreSQL database at postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres: password authentication failed/,
        "not-the-password",
      );
    });

    it("no GATEWAY_MASTER_KEY", async () => {
      const dataDir = await makeDataDir();
      await ensureBuilt();
      const output = await startGateway({ mode: "lean", dataDir, env: { GATEWAY_MASTER_KEY: "" } }).then(
        () => "started",
        (error: unknown) => String(error).replace(/^Error: gateway exited early:\n/, ""),
      );
      expectOneLine(output, /^GATEWAY_MASTER_KEY is required with PostgreSQL/);
    });

    it("a database migrated by a newer version", async () => {
      const dataDir = await makeDataDir();
      const store = await databaseFor(dataDir).open();
      await store.close();
      const client = new pg.Client({ connectionString: databaseFor(dataDir).url! });
      await client.connect();
      await client.query("INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('from-the-future', $1)", [Date.now() + 365 * 86_400_000]);
      await client.end();
      await ensureBuilt();
      const output = await startGateway({ mode: "lean", dataDir }).then(
        () => "started",
        (error: unknown) => String(error).replace(/^Error: gateway exited early:\n/, ""),
      );
      expectOneLine(output, /^The database at postgres:\/\/postgres@127\.0\.0\.1:\d+\/gw_\w+ was migrated by a newer version of LLM Gateway/);
    });
  });
});
