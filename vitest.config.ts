import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["server/**/*.test.ts", "db/**/*.test.ts", "tests/**/*.test.ts", "app/**/*.test.ts"],
    exclude: ["node_modules", "dist", ".next", "e2e"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // The environment variables env Secrets in tests name; gateways started by tests inherit it.
    env: { GATEWAY_ENV_SECRETS_ALLOW: "GW_TEST_*" },
  },
});
