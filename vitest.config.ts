import path from "node:path";
import { defineConfig } from "vitest/config";

const postgres = process.env.GATEWAY_TEST_ENGINE === "postgres";
// What touches the database runs on both engines; pure translation and protocol tests run once.
// The coding agents' end-to-end runs (tests/agents) exercise the APIs, not the engine: SQLite only.
const POSTGRES_SUITES = [
  "db/**/*.test.ts",
  "tests/{console-api,faults,ops,proxy,replicas,security}/**/*.test.ts",
  "server/{users,tokens,secrets,llms,bindings,limits,usage,audit,auth,cli}/**/*.test.ts",
  "server/routing/route.test.ts",
  "server/proxy/hot-path.test.ts",
  "server/proxy/providers/gemini-cli/e2e.test.ts",
];

export default defineConfig({
  test: {
    include: postgres ? POSTGRES_SUITES : ["server/**/*.test.ts", "db/**/*.test.ts", "tests/**/*.test.ts", "app/**/*.test.ts"],
    // On a PostgreSQL run (GATEWAY_TEST_ENGINE=postgres) the harness starts its own server.
    globalSetup: ["tests/helpers/postgres-cluster.ts"],
    exclude: ["node_modules", "dist", ".next", "e2e"],
    pool: "forks",
    // Both runs are mostly waiting on servers and child processes: two files at once on two cores
    // (vitest's own default leaves one core idle here).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // The test processes' configuration, inherited by the gateways tests start: the variables env
    // Secrets in tests name, every 401 audited in full (tests of the summary of repeated 401s set
    // their own bound), and the Gemini CLI executables the provider's tests run (the fake, and one
    // that does not exist).
    env: {
      GATEWAY_ENV_SECRETS_ALLOW: "GW_TEST_*",
      GATEWAY_AUDIT_UNAUTHENTICATED_PER_MINUTE: "100000",
      GATEWAY_GEMINI_PATHS: [path.resolve(import.meta.dirname, "server/proxy/providers/gemini-cli/__fixtures__/fake-gemini.mjs"), "/nonexistent/gemini"].join(
        path.delimiter,
      ),
    },
  },
});
